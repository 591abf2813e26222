import { english, isMessage, msg, type Message, type MessageArg } from './messages';
import { PROVIDER_LABELS, type ProviderId, type Usage } from './types';

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

interface ProviderErrorFields {
  kind: ErrorKind;
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

/** The message as English text, or as a catalogue message (then `message` defaults to its English). */
export type ProviderErrorInit = ProviderErrorFields & ({ message: string; text?: Message } | { message?: string; text: Message });

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
  /** The message as a catalogue message, for the host to show in the display language (`message` is its English). */
  readonly text?: Message;

  constructor(init: ProviderErrorInit) {
    super(init.message ?? english(init.text!), init.cause !== undefined ? { cause: init.cause } : undefined);
    if (init.text) this.text = init.text;
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

/** A kind of failure by its id ("rateLimit"), as a message (the fallback note names it). */
export function errorKindName(kind: ErrorKind): Message {
  return msg(`errors.kind.${kind}`);
}

/** What the user is shown for a provider error: the setting that chose the model, for a 404. */
export interface DescribeContext {
  model: string;
  settingHint: string;
}

/**
 * Which wait ran out, from the error's message: "no response within 5000 ms" (our watchdog), "no data for 30000 ms"
 * (the SDK's timeout). An error built without its message is read as English: the text in its parentheses.
 */
function timeoutDetail(err: ProviderError): MessageArg | undefined {
  if (!err.text) return /\(([^)]*)\)/.exec(err.message)?.[1];
  let t: Message = err.text;
  if (t.id === 'errors.withRequest' && isMessage(t.args[0])) t = t.args[0];
  if (t.id === 'errors.call.timedOut') return t.args[0];
  if (t.id === 'errors.timeout.noData' || t.id === 'errors.timeout.noDataPartial') return msg('errors.call.noData', t.args[1]!);
  return undefined;
}

/** A provider error as a sentence the user can act on, with the provider's request id. */
export function describeProviderError(err: ProviderError, ctx: DescribeContext): Message {
  const who = PROVIDER_LABELS[err.provider] ?? err.provider;
  const own: Message = err.text ?? msg('common.asIs', err.message);
  if (err.code === 'circuitOpen') {
    // Not the provider's answer: Tierwise itself holds requests back after repeated failures ("skipped: circuit open
    // after repeated failures (24 s left)"). An error built without its message is read as English.
    const reason = err.text?.id === 'errors.call.skipped' ? err.text.args[1] : undefined;
    const left = isMessage(reason) ? (reason.id === 'errors.call.circuitOpenFor' ? reason.args[0] : undefined) : /\((\d+) s left\)/.exec(err.message)?.[1];
    return left !== undefined ? msg('errors.shown.circuitOpenFor', who, left) : msg('errors.shown.circuitOpen', who);
  }
  let text: Message;
  switch (err.kind) {
    case 'auth':
      // DashScope keys are region-locked: its message names the host's region and the region setting.
      text = err.provider === 'dashscope' ? msg('errors.shown.authDashscope', own) : msg('errors.shown.auth', who);
      break;
    case 'permission':
      text = msg('errors.shown.permission', who, ctx.model);
      break;
    case 'notFound':
      // An HTML 404 page: the base URL is wrong, not the model (the provider's message names the setting).
      text = err.code === 'html_response' ? own : msg('errors.shown.notFound', who, ctx.model, ctx.settingHint);
      break;
    case 'quota':
      text = msg('errors.shown.quota', who);
      break;
    case 'timeout': {
      // Our own watchdog: say which wait ran out and which setting sets it.
      const setting = err.code === 'connectTimeout' ? 'connectMs' : err.code === 'firstTokenTimeout' ? 'firstTokenMs' : err.code === 'idleTimeout' ? 'idleMs' : undefined;
      const detail = timeoutDetail(err);
      const stopped = err.code === 'idleTimeout';
      text = detail
        ? msg(stopped ? 'errors.shown.stoppedSendingFor' : 'errors.shown.timeoutFor', who, detail)
        : msg(stopped ? 'errors.shown.stoppedSending' : 'errors.timeout', who);
      if (setting) text = msg('errors.shown.raiseTimeout', text, ctx.model, setting);
      break;
    }
    case 'missingKey':
      text = msg('errors.shown.missingKey', who);
      break;
    default:
      text = own;
  }
  if (err.partialText) text = msg('errors.shown.partialKept', text);
  if (err.requestId && !english(text).includes(err.requestId)) text = msg('errors.shown.requestId', text, err.requestId);
  return text;
}
