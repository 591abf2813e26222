/**
 * A small batch-job client over a fetch port: submit ChatRequests as one batch, poll its status on the Clock
 * port, fetch and parse the results. One client per provider (OpenAI, Anthropic, or DashScope, which speaks
 * OpenAI's files and batches endpoints under its compatible-mode base URL).
 */
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { msg, type Message } from '../messages';
import { ProviderError, isProviderError, type ErrorKind } from '../errors';
import { defaultBaseUrl, type DashScopeRegion } from '../providers/baseUrls';
import { headersToRecord, toProviderError } from '../providers/errorMapping';
import { PROVIDER_LABELS } from '../types';
import { buildAnthropicBatchBody, parseAnthropicBatch, parseAnthropicResults } from './anthropic';
import { OPENAI_BATCH_ENDPOINT, buildOpenAIBatchJsonl, parseOpenAIBatch, parseOpenAIResults } from './openai';
import type { BatchInfo, BatchItem, BatchItemResult, BatchProviderId, BatchResults } from './types';
import { checkBatchSize, validateBatchItems } from './validate';

/** The subset of `fetch` the client uses; tests pass a fake. */
export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;

export interface BatchClientConfig {
  provider: BatchProviderId;
  apiKey: string;
  /**
   * OpenAI: https://api.openai.com/v1 (default). Anthropic: https://api.anthropic.com (default, without /v1).
   * DashScope: the region's compatible-mode base URL (default from `dashscopeRegion`).
   */
  baseUrl?: string;
  /** DashScope: the region (its host, and the models its Batch API takes). Default china. */
  dashscopeRegion?: DashScopeRegion;
  fetch?: FetchPort;
  clock?: Clock;
  /** Extra headers for every request (e.g. OpenAI-Organization). */
  headers?: Record<string, string>;
}

export interface SubmitOptions {
  /** OpenAI only: up to 16 string pairs kept with the batch. */
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** First delay between polls (default 30 s). */
  pollMs?: number;
  /** Delays grow by `factor` up to this (default 5 min). */
  maxPollMs?: number;
  factor?: number;
  /** Give up after this long (default 25 h: the batch window is 24 h). */
  timeoutMs?: number;
  /** Transient polling failures (network, 5xx, 429) tolerated in a row before giving up (default 5). */
  maxConsecutiveErrors?: number;
  signal?: AbortSignal;
  onUpdate?: (info: BatchInfo) => void;
}

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE: Record<Exclude<BatchProviderId, 'dashscope'>, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};
const TRANSIENT: readonly ErrorKind[] = ['network', 'server', 'overloaded', 'rateLimit', 'requestTimeout', 'timeout'];

interface HttpOptions {
  json?: unknown;
  form?: FormData;
  accept?: string;
  signal?: AbortSignal;
  /** What a 404 means, for the message. */
  what?: Message;
  model?: string;
}

export class BatchClient {
  readonly provider: BatchProviderId;
  private readonly baseUrl: string;
  private readonly fetch: FetchPort;
  private readonly clock: Clock;

  constructor(private readonly cfg: BatchClientConfig) {
    this.provider = cfg.provider;
    const base = cfg.provider === 'dashscope' ? defaultBaseUrl('dashscope', cfg.dashscopeRegion ?? 'china') : DEFAULT_BASE[cfg.provider];
    this.baseUrl = (cfg.baseUrl ?? base).replace(/\/+$/, '');
    this.fetch = cfg.fetch ?? ((url, init) => fetch(url, init));
    this.clock = cfg.clock ?? systemClock;
  }

  /** OpenAI and DashScope: a JSONL file uploaded to /files, then /batches. */
  private get filesApi(): boolean {
    return this.provider !== 'anthropic';
  }

  /** Validate, upload (OpenAI, DashScope) and create the batch. */
  async submit(items: readonly BatchItem[], opts: SubmitOptions = {}): Promise<BatchInfo> {
    validateBatchItems(this.provider, items, { dashscopeRegion: this.cfg.dashscopeRegion });
    const model = items[0]!.request.model;
    if (this.filesApi) {
      const jsonl = buildOpenAIBatchJsonl(items);
      const bytes = new TextEncoder().encode(jsonl);
      checkBatchSize(this.provider, bytes.byteLength);
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob([bytes], { type: 'application/jsonl' }), 'tierwise-batch.jsonl');
      const file = (await this.http('POST', '/files', { form, signal: opts.signal, model })) as { id?: unknown };
      if (typeof file.id !== 'string') throw this.malformed(msg('errors.batch.why.noFileId'), model);
      const body: Record<string, unknown> = {
        input_file_id: file.id,
        endpoint: OPENAI_BATCH_ENDPOINT,
        completion_window: '24h',
      };
      if (opts.metadata) body.metadata = opts.metadata;
      return this.parse(await this.http('POST', '/batches', { json: body, signal: opts.signal, model }));
    }
    const body = buildAnthropicBatchBody(items);
    const json = JSON.stringify(body);
    checkBatchSize('anthropic', new TextEncoder().encode(json).byteLength);
    return parseAnthropicBatch(await this.http('POST', '/v1/messages/batches', { json: body, signal: opts.signal, model }));
  }

  async retrieve(id: string, signal?: AbortSignal): Promise<BatchInfo> {
    const path = this.filesApi ? `/batches/${encodeURIComponent(id)}` : `/v1/messages/batches/${encodeURIComponent(id)}`;
    return this.parse(await this.http('GET', path, { signal, what: msg('errors.batch.what.batch', id) }));
  }

  async cancel(id: string, signal?: AbortSignal): Promise<BatchInfo> {
    const path =
      this.filesApi
        ? `/batches/${encodeURIComponent(id)}/cancel`
        : `/v1/messages/batches/${encodeURIComponent(id)}/cancel`;
    return this.parse(await this.http('POST', path, { signal, what: msg('errors.batch.what.batch', id) }));
  }

  /**
   * Poll until the batch reaches a terminal status. Delays run on the Clock port and grow from `pollMs` to
   * `maxPollMs`; transient failures are tolerated up to `maxConsecutiveErrors` in a row.
   */
  async waitForCompletion(id: string, opts: WaitOptions = {}): Promise<BatchInfo> {
    const pollMs = opts.pollMs ?? 30_000;
    const maxPollMs = opts.maxPollMs ?? 300_000;
    const factor = opts.factor ?? 1.5;
    const timeoutMs = opts.timeoutMs ?? 25 * 3600_000;
    const maxErrors = opts.maxConsecutiveErrors ?? 5;
    const start = this.clock.now();
    let delay = pollMs;
    let errors = 0;
    for (;;) {
      try {
        const info = await this.retrieve(id, opts.signal);
        errors = 0;
        opts.onUpdate?.(info);
        if (info.done) return info;
      } catch (e) {
        if (!isProviderError(e) || !TRANSIENT.includes(e.kind) || ++errors > maxErrors) throw e;
      }
      if (this.clock.now() - start + delay > timeoutMs) {
        throw new ProviderError({
          kind: 'timeout',
          text: msg('errors.batch.waitTimeout', id, Math.round(timeoutMs / 60_000)),
          provider: this.provider,
        });
      }
      try {
        await this.clock.sleep(delay, opts.signal);
      } catch (e) {
        throw new ProviderError({ kind: 'aborted', text: msg('errors.batch.stoppedWaiting'), provider: this.provider, cause: e });
      }
      delay = Math.min(maxPollMs, Math.round(delay * factor));
    }
  }

  /**
   * Fetch and parse the results of a finished batch. With `order` (the custom ids as submitted), results come
   * back in that order (the APIs do not keep it); ids without a result line are left out.
   */
  async results(info: BatchInfo, opts: { order?: readonly string[]; signal?: AbortSignal } = {}): Promise<BatchResults> {
    if (!info.done) {
      throw new ProviderError({
        kind: 'badRequest',
        text: msg('errors.batch.notFinished', info.id, info.rawStatus),
        provider: this.provider,
      });
    }
    let parsed: BatchResults;
    if (this.filesApi) {
      const files: string[] = [];
      for (const fileId of [info.outputFileId, info.errorFileId]) {
        if (!fileId) continue;
        files.push(
          await this.text(`/files/${encodeURIComponent(fileId)}/content`, opts.signal, msg('errors.batch.what.resultFile', fileId)),
        );
      }
      parsed = parseOpenAIResults(...files);
    } else {
      let url = info.resultsUrl;
      if (!url) url = (await this.retrieve(info.id, opts.signal)).resultsUrl;
      if (!url) throw this.malformed(msg('errors.batch.why.noResultsUrl', info.id));
      parsed = parseAnthropicResults(await this.text(url, opts.signal, msg('errors.batch.what.results', info.id)));
    }
    if (opts.order) parsed.results = orderResults(parsed.results, opts.order);
    return parsed;
  }

  // -------------------------------------------------------------------------------------------------------------

  private parse(json: unknown): BatchInfo {
    return this.provider === 'anthropic' ? parseAnthropicBatch(json) : parseOpenAIBatch(json, this.provider);
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> =
      this.provider === 'anthropic'
        ? { 'x-api-key': this.cfg.apiKey, 'anthropic-version': ANTHROPIC_VERSION }
        : { authorization: `Bearer ${this.cfg.apiKey}` };
    return { ...h, ...(this.cfg.headers ?? {}) };
  }

  private url(pathOrUrl: string): string {
    if (!/^https?:\/\//i.test(pathOrUrl)) return `${this.baseUrl}${pathOrUrl}`;
    // An absolute URL (Anthropic's results_url) gets the API key only on the API's own origin.
    if (new URL(pathOrUrl).origin !== new URL(this.baseUrl).origin) {
      throw this.malformed(msg('errors.batch.why.foreignUrl', pathOrUrl, new URL(this.baseUrl).origin));
    }
    return pathOrUrl;
  }

  private async send(method: string, pathOrUrl: string, o: HttpOptions): Promise<Response> {
    const headers = this.headers();
    let body: BodyInit | undefined;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.form) body = o.form;
    if (o.accept) headers.accept = o.accept;
    const url = this.url(pathOrUrl);
    let res: Response;
    try {
      res = await this.fetch(url, { method, headers, body, signal: o.signal });
    } catch (e) {
      const aborted = o.signal?.aborted ?? false;
      throw toProviderError(
        { cls: aborted ? 'userAbort' : 'connection', message: e instanceof Error ? e.message : String(e), cause: e },
        this.ctx(o, aborted),
      );
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { message: text.slice(0, 300) };
    }
    const err = toProviderError(
      { cls: 'api', status: res.status, headers: headersToRecord(res.headers), body: parsed, message: `HTTP ${res.status}`, cause: undefined },
      this.ctx(o, false),
    );
    if (err.kind === 'notFound' && o.what) {
      throw new ProviderError({
        kind: 'notFound',
        text: msg('errors.batch.noSuch', PROVIDER_LABELS[this.provider], o.what),
        provider: this.provider,
        status: err.status,
        requestId: err.requestId,
        headers: err.headers,
        code: err.code,
      });
    }
    throw err;
  }

  private async http(method: string, path: string, o: HttpOptions): Promise<unknown> {
    const res = await this.send(method, path, o);
    const text = await res.text();
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw this.malformed(msg('errors.batch.why.notJson', method, path, e instanceof Error ? e.message : String(e)), o.model);
    }
  }

  private async text(pathOrUrl: string, signal: AbortSignal | undefined, what: Message): Promise<string> {
    const res = await this.send('GET', pathOrUrl, { signal, what, accept: 'application/binary' });
    return res.text();
  }

  private ctx(o: HttpOptions, userAborted: boolean) {
    return {
      provider: this.provider,
      model: o.model ?? '',
      baseUrl: this.baseUrl,
      apiKey: this.cfg.apiKey,
      timedOut: false,
      userAborted,
      responseStarted: false,
      partialText: '',
    };
  }

  private malformed(why: Message, model?: string): ProviderError {
    return new ProviderError({
      kind: 'malformed',
      text: msg('errors.batch.malformed', PROVIDER_LABELS[this.provider], why),
      provider: this.provider,
      model,
    });
  }
}

/** Results in the order of `ids` (as submitted); results with unknown ids follow, ids without results are skipped. */
export function orderResults(results: readonly BatchItemResult[], ids: readonly string[]): BatchItemResult[] {
  const pos = new Map(ids.map((id, i) => [id, i]));
  return [...results].sort((a, b) => (pos.get(a.customId) ?? ids.length) - (pos.get(b.customId) ?? ids.length));
}
