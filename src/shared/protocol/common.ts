/**
 * What every panel's messages share: the `ready` and `reply` handshake, the sequence number, and the small guards
 * the panels' validators are built from.
 *
 * - The host queues every post until the webview has sent `ready` (see `src/host/panels/channel.ts`).
 * - Every message from a webview carries `seq`, a sequence number the host echoes in its `reply`.
 * - The host never trusts a webview message, and the webviews validate what the host sends as well: each panel's
 *   guards accept only its shapes and reject anything unknown, ill-typed or with extra fields.
 *
 * Pure TypeScript, shared by host and browser bundles: nothing here may import 'vscode'.
 */

/** Largest text a webview may send (copy/insert/replace of a code block). */
export const MAX_TEXT_LENGTH = 1_000_000;
export const MAX_ID_LENGTH = 128;

/** A message from a webview to the host. */
export interface Req<T extends string> {
  type: T;
  /** Sequence number, unique per webview instance, echoed in the host's `reply`. */
  seq: number;
}
export type ReadyMsg = Req<'ready'>;

/** The host's answer to a webview request with sequence number `seq`. */
export interface ReplyMsg {
  type: 'reply';
  seq: number;
  ok: boolean;
  error?: string;
}

// Validation (hand-written guards; no schema library needed for a dozen shapes)

export type Rec = Record<string, unknown>;

/** A plain object (what structured clone of a JSON-like message gives): no arrays, no class instances. */
export function isRecord(v: unknown): v is Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
export function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
export function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH && /^[\w.:-]+$/.test(v);
}
export function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_TEXT_LENGTH;
}
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
export function isCount(v: unknown): v is number {
  return isFiniteNumber(v) && v >= 0;
}
/** The record has exactly the allowed keys (and all required ones). */
export function hasOnlyKeys(o: Rec, required: readonly string[], optional: readonly string[] = []): boolean {
  // Own keys only: an inherited `type` or `seq` (a polluted prototype) does not count.
  for (const k of required) if (!Object.hasOwn(o, k)) return false;
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) return false;
  return true;
}

export function isReply(v: Rec): v is Rec & ReplyMsg {
  return (
    hasOnlyKeys(v, ['type', 'seq', 'ok'], ['error']) &&
    isSeq(v.seq) &&
    typeof v.ok === 'boolean' &&
    (v.error === undefined || typeof v.error === 'string')
  );
}

/** A parser that never throws: a getter or proxy that throws is not a message. */
export function neverThrows<T>(parse: (v: unknown) => T | undefined): (v: unknown) => T | undefined {
  return (v) => {
    try {
      return parse(v);
    } catch {
      return undefined;
    }
  };
}
