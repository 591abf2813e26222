import { ProviderError, type ErrorKind } from '../errors';
import { english, msg, type Message } from '../messages';
import { PROVIDER_LABELS, type ProviderId, type Usage } from '../types';
import { DASHSCOPE_REGION_LABELS, dashscopeRegionOf } from './baseUrls';

/** An SDK failure reduced to what the mapping needs (each provider file classifies its own SDK's classes). */
export interface Failure {
  /** api: an HTTP error response or an error event inside the stream (status undefined). */
  cls: 'api' | 'userAbort' | 'connectionTimeout' | 'connection' | 'other';
  status?: number;
  headers?: Record<string, string>;
  /** The error body as the SDK parsed it (OpenAI: the inner `error` object; Anthropic: the whole body). */
  body?: unknown;
  message: string;
  requestId?: string;
  cause: unknown;
}

/** What the attempt knew when it failed. */
export interface AttemptContext {
  provider: ProviderId;
  model: string;
  baseUrl: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Our idle / first-token timer fired. */
  timedOut: boolean;
  /** The caller's signal aborted. */
  userAborted: boolean;
  /** Response headers arrived (the failure happened inside the stream). */
  responseStarted: boolean;
  partialText: string;
  requestId?: string;
  headers?: Record<string, string>;
  usage?: Usage;
}

/** The error classes both official SDKs export, with the same names and fields. */
export interface SdkErrorClasses {
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error & { status?: unknown; headers?: unknown; error?: unknown; requestID?: string | null };
}

/** Sorts an SDK error (or anything thrown) into a Failure, given that SDK's error classes. */
export function sdkFailureClassifier(c: SdkErrorClasses): (e: unknown) => Failure {
  return (e) => {
    if (e instanceof c.APIUserAbortError) return { cls: 'userAbort', message: e.message, cause: e };
    if (e instanceof c.APIConnectionTimeoutError) return { cls: 'connectionTimeout', message: e.message, cause: e };
    if (e instanceof c.APIConnectionError) return { cls: 'connection', message: e.message, cause: e };
    if (e instanceof c.APIError) {
      return {
        cls: 'api',
        status: typeof e.status === 'number' ? e.status : undefined,
        headers: headersToRecord(e.headers as Headers | undefined),
        body: e.error,
        message: e.message,
        requestId: e.requestID ?? undefined,
        cause: e,
      };
    }
    return { cls: 'other', message: e instanceof Error ? e.message : String(e), cause: e };
  };
}

export function headersToRecord(h: Headers | Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (typeof (h as Headers).forEach === 'function' && typeof (h as Headers).get === 'function') {
    (h as Headers).forEach((v, k) => {
      out[k.toLowerCase()] = v;
    });
  } else {
    for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

/** Replace every occurrence of the secret (and of its Bearer form) in a message. */
export function scrubSecret(text: string, secret?: string): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('***');
}

export function requestIdFrom(headers: Record<string, string>): string | undefined {
  return headers['x-request-id'] ?? headers['request-id'] ?? headers['x-dashscope-request-id'] ?? undefined;
}

interface Details {
  message?: string;
  codes: string[];
  requestId?: string;
}

/** Pull the provider's message and codes out of an error body in any of the shapes the providers use. */
export function errorDetails(body: unknown, rawMessage: string): Details {
  const codes: string[] = [];
  let message: string | undefined;
  let requestId: string | undefined;
  const visit = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    const r = o as Record<string, unknown>;
    const add = (c: unknown) => {
      if (typeof c === 'string' && c && c !== 'error' && !codes.includes(c)) codes.push(c);
    };
    add(r.code);
    add(r.type);
    if (typeof r.message === 'string' && message === undefined) message = r.message;
    if (typeof r.request_id === 'string' && r.request_id) requestId = r.request_id;
  };
  // Anthropic { type:'error', error:{type,message} }; OpenAI inner { message, type, code }; DashScope compat
  // { error:{...}, request_id }.
  if (body && typeof body === 'object') {
    visit((body as Record<string, unknown>).error);
    visit(body);
  }
  // DashScope answers failing streaming requests with a native SSE error event that the SDK cannot parse as JSON;
  // its text ends up in the message: "id:1\nevent:error\n:HTTP_STATUS/429\ndata:{...}".
  if (codes.length === 0) {
    const m = /data:\s*(\{.*\})/s.exec(rawMessage);
    if (m) {
      try {
        visit(JSON.parse(m[1]!));
      } catch {
        // not JSON after all
      }
    }
  }
  return { message, codes, requestId };
}

const has = (codes: string[], ...wanted: string[]) => codes.some((c) => wanted.includes(c));

/** Token count and window, when the provider's message names them. */
export function contextNumbers(message: string): { tokens?: number; window?: number } {
  let m = /maximum context length is (\d+) tokens.*?resulted in (\d+) tokens/is.exec(message);
  if (m) return { window: Number(m[1]), tokens: Number(m[2]) };
  m = /maximum context length is (\d+) tokens.*?requested (\d+) tokens/is.exec(message);
  if (m) return { window: Number(m[1]), tokens: Number(m[2]) };
  m = /prompt is too long:\s*(\d+) tokens\s*>\s*(\d+)/i.exec(message);
  if (m) return { tokens: Number(m[1]), window: Number(m[2]) };
  m = /Range of input length should be \[1,\s*(\d+)\]/i.exec(message);
  if (m) return { window: Number(m[1]) };
  return {};
}

const CONTEXT_PATTERN = /context length|context window|prompt is too long|too many tokens|Range of input length|input length|maximum context/i;

function kindForStatus(provider: ProviderId, status: number, codes: string[], msg: string): ErrorKind {
  if (has(codes, 'context_length_exceeded', 'request_too_large') || (status === 400 && CONTEXT_PATTERN.test(msg))) return 'contextLength';
  if (status === 413) return 'contextLength';
  if (has(codes, 'overloaded_error') || status === 529) return 'overloaded';
  if (has(codes, 'billing_error', 'Arrearage') || codes.some((c) => c.startsWith('AllocationQuota'))) return 'quota';
  switch (status) {
    case 400:
    case 422:
      return 'badRequest';
    case 401:
      return 'auth';
    case 402:
      return 'quota';
    case 403:
      return 'permission';
    case 404:
      return 'notFound';
    case 408:
      return 'requestTimeout';
    case 409:
      return 'conflict';
    case 429:
      // DashScope reuses the insufficient_quota wording for its per-minute throttle (Throttling.AllocationQuota),
      // which clears within the minute: it is a rate limit there.
      if (provider !== 'dashscope' && has(codes, 'insufficient_quota')) return 'quota';
      return 'rateLimit';
  }
  if (status >= 500) return 'server';
  return 'unknown';
}

function kindForStreamError(codes: string[], partial: string): ErrorKind {
  if (has(codes, 'overloaded_error')) return 'overloaded';
  if (has(codes, 'rate_limit_error', 'rate_limit_exceeded', 'tokens', 'requests', 'Throttling', 'Throttling.RateQuota')) return 'rateLimit';
  if (has(codes, 'insufficient_quota', 'billing_error')) return 'quota';
  if (has(codes, 'api_error', 'server_error', 'internal_error', 'InternalError', 'timeout_error')) return 'server';
  return partial ? 'streamInterrupted' : 'server';
}

function isMalformed(e: unknown): boolean {
  if (e instanceof SyntaxError) return true;
  const msg = e instanceof Error ? e.message : String(e);
  return /could not parse|unexpected (token|end of json|event order)|is not valid json|unterminated string/i.test(msg);
}

export function describeCause(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const c = cause instanceof Error ? (cause as { code?: string }).code ?? cause.message : '';
  // "Connection error." + cause → "Connection error: ECONNREFUSED" (no "error.:").
  return c ? `${e.message.replace(/[.\s]+$/, '')}: ${c}` : e.message;
}

/** The first `code` (ENOTFOUND, ECONNREFUSED…) along an error's cause chain (fetch wraps it twice). */
function causeCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

/** An HTML page where an API answer was expected: a proxy, a captive portal or a base URL with a typo. */
function isHtmlPage(headers: Record<string, string>, f: Failure): boolean {
  if (/^text\/html/i.test(headers['content-type'] ?? '')) return true;
  const text = typeof f.body === 'string' ? f.body : f.message;
  return /<!doctype html|<html[\s>]/i.test(text ?? '');
}

/** The setting that holds a provider's base URL. */
export function baseUrlSetting(provider: ProviderId): string {
  return `tierwise.providers.${provider}.baseUrl`;
}

function host(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

function retryAfterSeconds(headers: Record<string, string>): number | undefined {
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms)) return Math.ceil(ms / 100) / 10;
  const s = headers['retry-after'];
  if (s === undefined) return undefined;
  const n = Number(s);
  if (Number.isFinite(n)) return n;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/**
 * DashScope's 401 (InvalidApiKey / invalid_api_key): keys are region-locked, so the likeliest cause is a key of
 * another region; the message names the host, its region and the region setting.
 */
function dashscopeKeyMessage(baseUrl: string, codes: string[]): Message {
  const region = dashscopeRegionOf(baseUrl);
  const where = region ? msg('errors.auth.dashscopeHost', DASHSCOPE_REGION_LABELS[region], host(baseUrl)) : `${host(baseUrl)}`;
  const code = codes.find((c) => /invalid_?api_?key/i.test(c));
  return msg('errors.auth.dashscope', where, code ? ` ${code}` : '');
}

/** A message with `secret` masked in every text argument (the provider's own words may echo the key). */
function scrubMessage(m: Message, secret?: string): Message {
  return { id: m.id, args: m.args.map((a) => (typeof a === 'string' ? scrubSecret(a, secret) : typeof a === 'number' ? a : scrubMessage(a, secret))) };
}

/** Map any failure of one attempt to a ProviderError with a user-actionable message and no secret in it. */
export function toProviderError(f: Failure, ctx: AttemptContext): ProviderError {
  const label = PROVIDER_LABELS[ctx.provider];
  const headers = { ...(ctx.headers ?? {}), ...(f.headers ?? {}) };
  const details = f.cls === 'api' ? errorDetails(f.body, f.message) : { codes: [] as string[] };
  const requestId = f.requestId ?? details.requestId ?? requestIdFrom(headers) ?? ctx.requestId;
  const providerMsg = (details.message ?? '').trim();
  const partial = ctx.partialText;

  let kind: ErrorKind;
  if (ctx.userAborted || (f.cls === 'userAbort' && !ctx.timedOut)) kind = 'aborted';
  else if (ctx.timedOut || f.cls === 'connectionTimeout') kind = 'timeout';
  else if (f.cls === 'api' && f.status !== undefined) kind = kindForStatus(ctx.provider, f.status, details.codes, `${providerMsg} ${f.message}`);
  else if (f.cls === 'api') kind = kindForStreamError(details.codes, partial);
  else if (isMalformed(f.cause)) kind = 'malformed';
  else if (partial) kind = 'streamInterrupted';
  else if (f.cls === 'connection' || ctx.responseStarted || f.cause instanceof TypeError) kind = 'network';
  else kind = 'unknown';

  const status = f.status;
  const model = ctx.model;
  // A 4xx page in HTML never comes from the provider's API: the base URL points somewhere else.
  const htmlPage = f.cls === 'api' && status !== undefined && status >= 400 && status < 500 && status !== 429 && isHtmlPage(headers, f);
  const code = htmlPage ? 'html_response' : details.codes[0];
  /** The sentence, then what the provider said. */
  const said = (m: Message): Message => (providerMsg ? msg('errors.withDetail', m, label, providerMsg) : m);
  let message: Message;
  switch (kind) {
    case 'aborted':
      message = msg('errors.aborted');
      break;
    case 'timeout':
      message = ctx.timeoutMs
        ? partial
          ? msg('errors.timeout.noDataPartial', label, ctx.timeoutMs, partial.length)
          : msg('errors.timeout.noData', label, ctx.timeoutMs)
        : partial
          ? msg('errors.timeout.partial', label, partial.length)
          : msg('errors.timeout', label);
      break;
    case 'auth':
      message = said(ctx.provider === 'dashscope' ? dashscopeKeyMessage(ctx.baseUrl, details.codes) : msg('errors.auth', label));
      break;
    case 'permission':
      message = said(msg('errors.permission', label, model));
      break;
    case 'notFound':
      message = htmlPage ? msg('errors.notFound.html', host(ctx.baseUrl), label, ctx.baseUrl, baseUrlSetting(ctx.provider)) : msg('errors.notFound', label, model);
      break;
    case 'contextLength': {
      const { tokens, window } = contextNumbers(`${providerMsg} ${f.message}`);
      message =
        tokens !== undefined && window !== undefined
          ? msg('errors.contextLength.both', model, tokens, window)
          : tokens !== undefined
            ? msg('errors.contextLength.tokens', model, tokens)
            : window !== undefined
              ? msg('errors.contextLength.window', model, window)
              : msg('errors.contextLength', model);
      break;
    }
    case 'badRequest':
      message = said(msg('errors.badRequest', label, status ?? 400));
      break;
    case 'quota':
      message = said(msg('errors.quota', label));
      break;
    case 'rateLimit': {
      const s = retryAfterSeconds(headers);
      message = said(s !== undefined ? msg('errors.rateLimit.retryAfter', label, model, s) : msg('errors.rateLimit', label, model));
      break;
    }
    case 'overloaded':
      message = status ? msg('errors.overloaded.status', label, status) : msg('errors.overloaded', label);
      break;
    case 'server':
      message = said(status ? msg('errors.server.status', label, status) : msg('errors.server', label));
      break;
    case 'requestTimeout':
      message = msg('errors.requestTimeout', label);
      break;
    case 'conflict':
      message = said(msg('errors.conflict', label));
      break;
    case 'network': {
      const c = causeCode(f.cause);
      message =
        c === 'ENOTFOUND' || c === 'EAI_AGAIN'
          ? msg('errors.network.dns', new URL(ctx.baseUrl, 'http://x').hostname, c, label, baseUrlSetting(ctx.provider), ctx.baseUrl)
          : c === 'ECONNREFUSED'
            ? msg('errors.network.refused', host(ctx.baseUrl), baseUrlSetting(ctx.provider))
            : msg('errors.network', label, host(ctx.baseUrl), `${describeCause(f.cause)}${c && !describeCause(f.cause).includes(c) ? `, ${c}` : ''}`);
      break;
    }
    case 'streamInterrupted':
      message = said(msg('errors.streamInterrupted', model, partial.length, describeCause(f.cause)));
      break;
    case 'malformed':
      message = msg('errors.malformed', label, describeCause(f.cause));
      break;
    default:
      message = status ? msg('errors.failed.status', label, status, providerMsg || describeCause(f.cause)) : msg('errors.failed', label, providerMsg || describeCause(f.cause));
  }
  if (requestId) message = msg('errors.withRequest', message, requestId);
  const text = scrubMessage(message, ctx.apiKey);

  return new ProviderError({
    kind,
    message: scrubSecret(english(message), ctx.apiKey),
    text,
    provider: ctx.provider,
    model,
    status,
    requestId,
    headers,
    code,
    partialText: partial || undefined,
    usage: ctx.usage,
    cause: f.cause,
  });
}

export function missingKeyError(provider: ProviderId, model: string): ProviderError {
  return new ProviderError({
    kind: 'missingKey',
    text: msg('errors.missingKey', PROVIDER_LABELS[provider]),
    provider,
    model,
  });
}
