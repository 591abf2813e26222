import { errorKindName, type ErrorKind, type ProviderError } from '../errors';
import { msg, type Message } from '../messages';

/**
 * The one retry policy of Tierwise: which failures are worth another attempt and how long to wait first.
 * The SDK clients must be built with `maxRetries: 0`, otherwise attempts multiply.
 *
 * cockatiel's RetryPolicy is not used for the loop: it waits with a bare `setTimeout` that an AbortSignal cannot
 * cut short and that tests cannot drive through our Clock port. The loop lives in the call pipeline; this file
 * holds the decisions.
 */

export interface RetryDecision {
  retry: boolean;
  /** Why, in words for a log line. */
  reason: string;
}

const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'rateLimit',
  'conflict',
  'requestTimeout',
  'overloaded',
  'server',
  'network',
  'timeout',
]);

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/** Kinds that never retry, whatever the status or headers say. */
const FINAL_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'missingKey',
  'auth',
  'quota',
  'aborted',
  'streamInterrupted',
  'contextLength',
]);

/** Whether a failed attempt should be retried. Text already shown to the user is never retried here. */
export function shouldRetry(error: ProviderError): RetryDecision {
  if (FINAL_KINDS.has(error.kind)) return { retry: false, reason: `${error.kind} is not retryable` };
  if (error.partialText) return { retry: false, reason: 'text had already streamed' };
  const header = error.headers['x-should-retry']?.trim().toLowerCase();
  if (header === 'true') return { retry: true, reason: 'server sent x-should-retry: true' };
  if (header === 'false') return { retry: false, reason: 'server sent x-should-retry: false' };
  if (RETRYABLE_KINDS.has(error.kind)) return { retry: true, reason: `${error.kind} is retryable` };
  if (error.kind === 'unknown' && error.status !== undefined && RETRYABLE_STATUSES.has(error.status)) {
    return { retry: true, reason: `HTTP ${error.status} is retryable` };
  }
  return { retry: false, reason: `${error.kind}${error.status ? ` (HTTP ${error.status})` : ''} is not retryable` };
}

/** Kinds after which the next candidate of a fallback chain is tried (provider trouble, not a problem of the request). */
export function isFallbackWorthy(error: ProviderError): boolean {
  return error.kind === 'server' || error.kind === 'overloaded' || error.kind === 'network' || error.kind === 'timeout';
}

/** Kinds that count against a provider's circuit breaker. */
export function countsAgainstProvider(error: ProviderError): boolean {
  return isFallbackWorthy(error);
}

/** Parses a Go-style duration as OpenAI sends in x-ratelimit-reset-*: "120ms", "1s", "17.28s", "6m0s", "1h2m3.5s". */
export function parseDuration(s: string): number | undefined {
  const t = s.trim();
  if (!t) return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000; // bare number: seconds
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const v = Number(m[1]);
    const unit = m[2];
    total += unit === 'h' ? v * 3_600_000 : unit === 'm' ? v * 60_000 : unit === 's' ? v * 1000 : unit === 'ms' ? v : v / 1000 / (unit === 'ns' ? 1000 : 1);
    matched = re.lastIndex;
  }
  return matched === t.length ? total : undefined;
}

/** A reset header value as ms from `now`: a duration ("1s", "120ms"), seconds, or an RFC 3339 / HTTP date. */
export function parseResetMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const d = parseDuration(value);
  if (d !== undefined) return Math.max(0, d);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait the server asked for, in ms: `retry-after-ms`, then `retry-after` (seconds or an HTTP date).
 * Undefined when there is no usable header.
 */
export function serverRequestedDelayMs(headers: Record<string, string>, now: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined) {
    const v = parseFloat(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers['retry-after'];
  if (ra !== undefined) {
    const trimmed = ra.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return undefined;
}

/**
 * The time until the exhausted rate-limit window resets, from x-ratelimit-reset-* (OpenAI, Go durations) or
 * anthropic-ratelimit-*-reset (RFC 3339). Only looks at the budgets the headers say are used up (remaining 0),
 * or at all of them when no remaining counts are present.
 */
export function rateLimitResetMs(headers: Record<string, string>, now: number): number | undefined {
  const pairs: [remaining: string, reset: string][] = [
    ['x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
    ['x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
    ['anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset'],
    ['anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset'],
    ['anthropic-ratelimit-input-tokens-remaining', 'anthropic-ratelimit-input-tokens-reset'],
    ['anthropic-ratelimit-output-tokens-remaining', 'anthropic-ratelimit-output-tokens-reset'],
  ];
  let exhausted: number | undefined;
  let any: number | undefined;
  for (const [rem, res] of pairs) {
    const reset = parseResetMs(headers[res], now);
    if (reset === undefined) continue;
    any = Math.max(any ?? 0, reset);
    const r = headers[rem];
    if (r !== undefined && Number(r) <= 0) exhausted = Math.max(exhausted ?? 0, reset);
  }
  const hasRemaining = pairs.some(([rem]) => headers[rem] !== undefined);
  return exhausted ?? (hasRemaining ? undefined : any);
}

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Longest server-requested wait that is honoured. */
  maxServerDelayMs: number;
  /** Random source in [0, 1) for jitter; injectable for tests. */
  random?: () => number;
}

export interface RetryDelay {
  delayMs: number;
  /** Where the figure came from. */
  source: 'backoff' | 'retry-after' | 'rate-limit-reset';
}

/**
 * Exponential backoff with jitter: initialDelay · 2^(retry−1), capped at maxDelay, then reduced by up to 25 %
 * (the same "equal-ish" jitter as the Stainless SDKs). `retry` is 1 for the first retry.
 */
export function backoffDelayMs(retry: number, o: Pick<BackoffOptions, 'initialDelayMs' | 'maxDelayMs' | 'random'>): number {
  const base = Math.min(o.maxDelayMs, o.initialDelayMs * Math.pow(2, Math.max(0, retry - 1)));
  const jitter = 1 - (o.random ?? Math.random)() * 0.25;
  return Math.round(base * jitter);
}

/**
 * How long to wait before retry number `retry` (1-based) after `error`. A server-requested wait
 * (retry-after-ms, retry-after) wins; for rate limits without one, the reset time of the exhausted budget
 * is used when it is longer than the computed backoff. Returns undefined when the server asks for a wait
 * longer than `maxServerDelayMs` (better to fail or fall back than to hang).
 */
export function retryDelay(error: ProviderError, retry: number, now: number, o: BackoffOptions): RetryDelay | undefined {
  const computed = backoffDelayMs(retry, o);
  const asked = serverRequestedDelayMs(error.headers, now);
  if (asked !== undefined) {
    if (asked > o.maxServerDelayMs) return undefined;
    return { delayMs: asked, source: 'retry-after' };
  }
  if (error.kind === 'rateLimit' || error.status === 429) {
    const reset = rateLimitResetMs(error.headers, now);
    if (reset !== undefined && reset > computed) {
      if (reset > o.maxServerDelayMs) return undefined;
      return { delayMs: reset, source: 'rate-limit-reset' };
    }
  }
  return { delayMs: computed, source: 'backoff' };
}

const KIND_LABELS: Partial<Record<ErrorKind, Message>> = {
  rateLimit: msg('errors.retry.rateLimit'),
  server: msg('errors.retry.server'),
  network: msg('errors.retry.network'),
  timeout: msg('errors.retry.timeout'),
  requestTimeout: msg('errors.retry.requestTimeout'),
};

/** "429 rate limited, retrying in 2.0 s (retry 1 of 4)". */
export function describeRetry(error: ProviderError, delayMs: number, retry: number, of: number): Message {
  const label = KIND_LABELS[error.kind] ?? errorKindName(error.kind);
  const what = error.status !== undefined ? msg('errors.call.withStatus', error.status, label) : label;
  return msg('errors.call.retrying', what, (delayMs / 1000).toFixed(1), retry, of);
}
