import type { ProviderId, Usage } from './types';

/**
 * What went wrong, in terms a user (and the retry policy) can act on.
 * Providers map their SDK errors to one of these; resilience decides what to retry from `kind`.
 */
export type ErrorKind =
  | 'missingKey' // no key configured for a provider that needs one
  | 'auth' // 401, invalid key
  | 'permission' // 403
  | 'notFound' // 404, usually an unknown model
  | 'contextLength' // 400 context window exceeded
  | 'badRequest' // other 400 / 422
  | 'quota' // 429 insufficient quota / billing: NOT retryable
  | 'rateLimit' // 429 rate limited: retryable
  | 'conflict' // 409
  | 'requestTimeout' // 408
  | 'overloaded' // 529 (Anthropic) or an overloaded_error
  | 'server' // 500, 502, 503, 504
  | 'network' // connection refused / reset, DNS, TLS
  | 'timeout' // connect / first-token / idle-gap timeout on our side
  | 'streamInterrupted' // the stream broke after text had arrived
  | 'malformed' // the provider sent something we could not parse
  | 'aborted' // the user cancelled
  | 'unknown';

export interface ProviderErrorInit {
  kind: ErrorKind;
  message: string;
  provider: ProviderId;
  model?: string;
  status?: number;
  requestId?: string;
  /** Lower-case response headers, when there was a response. */
  headers?: Record<string, string>;
  /** The provider's own error type / code, e.g. 'insufficient_quota', 'overloaded_error'. */
  code?: string;
  /** Text that had already streamed before the failure. */
  partialText?: string;
  /** Usage of the failed attempt where known: reported by the provider or estimated (a broken or cancelled stream). */
  usage?: Usage;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly kind: ErrorKind;
  readonly provider: ProviderId;
  readonly model?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly headers: Record<string, string>;
  readonly code?: string;
  partialText?: string;
  usage?: Usage;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.provider = init.provider;
    this.model = init.model;
    this.status = init.status;
    this.requestId = init.requestId;
    this.headers = init.headers ?? {};
    this.code = init.code;
    this.partialText = init.partialText;
    this.usage = init.usage;
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}
