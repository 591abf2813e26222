/**
 * The answer panel's messages, each guard next to its type. The host accepts from the webview only what
 * `parseAnswerViewMessage` returns; the webview checks what the host sends with `parseHostToAnswerView`.
 *
 * Pure TypeScript, shared by host and browser bundles: nothing here may import 'vscode'.
 */
import type { ProviderId, Tier } from '../../core/types';
import { PROVIDER_IDS, TIERS } from '../../core/types';
import type { ReadyMsg, ReplyMsg, Req } from './common';
import { hasOnlyKeys, isCount, isFiniteNumber, isId, isRecord, isReply, isSeq, isText, neverThrows } from './common';

/** The webview panel's viewType (also used by the serializer and the `onWebviewPanel:` activation event). */
export const ANSWER_VIEW_TYPE = 'tierwise.answers';

// ---------------------------------------------------------------------------------------------------------------
// What one answer is
// ---------------------------------------------------------------------------------------------------------------

/** What the answer is about and how it was routed; fixed when the answer starts (a fallback updates `live.notes`). */
export interface AnswerMeta {
  provider: ProviderId;
  model: string;
  tier: Tier;
  /** Why this tier was chosen, e.g. "selection > 400 lines" or "chosen by user". */
  reason: string;
  /** The task, e.g. "explain", "refactor", "commit message". */
  task: string;
}

export function isAnswerMeta(v: unknown): v is AnswerMeta {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['provider', 'model', 'tier', 'reason', 'task']) &&
    (PROVIDER_IDS as readonly unknown[]).includes(v.provider) &&
    typeof v.model === 'string' &&
    (TIERS as readonly unknown[]).includes(v.tier) &&
    typeof v.reason === 'string' &&
    typeof v.task === 'string'
  );
}

/** Live figures, updated while the answer streams and once more when it ends. Every field is optional. */
export interface LiveMeta {
  /** Time to first token in ms. */
  ttftMs?: number;
  tokensPerSecond?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens read from the prompt cache. */
  cachedTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation). */
  cacheWriteTokens?: number;
  /** Cost so far (or final), already formatted in the display currency, e.g. "$0.0042" or "¥0.031". */
  cost?: string;
  /** What prompt caching saved, formatted, e.g. "$0.0011 saved by cache". */
  cacheSavings?: string;
  /** What writing the cache cost, formatted, e.g. "$0.0162, $0.0032 above the input price". */
  cacheWriteCost?: string;
  /** Retries so far. */
  retries?: number;
  /** Retry / fallback notes, oldest first, e.g. "fell back from gpt-4.1 to claude-sonnet-4". */
  notes?: string[];
  /** true while the token figures are estimates (the provider has not reported usage yet). */
  estimated?: boolean;
}

const LIVE_NUMBER_KEYS = ['ttftMs', 'tokensPerSecond', 'inputTokens', 'outputTokens', 'cachedTokens', 'cacheWriteTokens', 'retries'] as const;

export function isLiveMeta(v: unknown): v is LiveMeta {
  if (!isRecord(v)) return false;
  if (!hasOnlyKeys(v, [], [...LIVE_NUMBER_KEYS, 'cost', 'cacheSavings', 'cacheWriteCost', 'notes', 'estimated'])) return false;
  for (const k of LIVE_NUMBER_KEYS) if (v[k] !== undefined && !isCount(v[k])) return false;
  if (v.cost !== undefined && typeof v.cost !== 'string') return false;
  if (v.cacheSavings !== undefined && typeof v.cacheSavings !== 'string') return false;
  if (v.cacheWriteCost !== undefined && typeof v.cacheWriteCost !== 'string') return false;
  if (v.estimated !== undefined && typeof v.estimated !== 'boolean') return false;
  if (v.notes !== undefined && !(Array.isArray(v.notes) && v.notes.every((n) => typeof n === 'string'))) return false;
  return true;
}

/**
 * Apply a live-meta update: defined fields replace, `notes` append (a note equal to the last one is not repeated).
 * Host and webview both use this, so they agree on what is shown.
 */
export function mergeLive(prev: LiveMeta, next: LiveMeta): LiveMeta {
  const out: LiveMeta = { ...prev };
  for (const [k, v] of Object.entries(next) as [keyof LiveMeta, unknown][]) {
    if (v === undefined || k === 'notes') continue;
    (out as Record<string, unknown>)[k] = v;
  }
  if (next.notes?.length) {
    const notes = [...(prev.notes ?? [])];
    for (const n of next.notes) if (notes[notes.length - 1] !== n) notes.push(n);
    out.notes = notes;
  }
  return out;
}

export type AnswerOutcome = 'done' | 'cancelled' | 'interrupted' | 'error';
export const ANSWER_OUTCOMES: readonly AnswerOutcome[] = ['done', 'cancelled', 'interrupted', 'error'];

function isOutcome(v: unknown): v is AnswerOutcome {
  return (ANSWER_OUTCOMES as readonly unknown[]).includes(v);
}

/** Everything needed to draw one answer again (state restore, `vscode.setState`, serializer). */
export interface AnswerSnapshot {
  id: string;
  title: string;
  meta: AnswerMeta;
  /** Epoch ms when the request started. */
  startedAt: number;
  text: string;
  live: LiveMeta;
  /** Last status line, e.g. "429 rate limited, retrying in 2.0 s, attempt 2 of 4". */
  status?: string;
  /** Absent while streaming. */
  outcome?: AnswerOutcome;
  /** Error or interruption message. */
  message?: string;
}

export function isAnswerSnapshot(v: unknown): v is AnswerSnapshot {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['id', 'title', 'meta', 'startedAt', 'text', 'live'], ['status', 'outcome', 'message']) &&
    isId(v.id) &&
    typeof v.title === 'string' &&
    isAnswerMeta(v.meta) &&
    isFiniteNumber(v.startedAt) &&
    typeof v.text === 'string' &&
    isLiveMeta(v.live) &&
    (v.status === undefined || typeof v.status === 'string') &&
    (v.outcome === undefined || isOutcome(v.outcome)) &&
    (v.message === undefined || typeof v.message === 'string')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Host → answer webview
// ---------------------------------------------------------------------------------------------------------------

export interface AnswerStartMsg {
  type: 'answer.start';
  id: string;
  title: string;
  meta: AnswerMeta;
  startedAt: number;
}
/** Text appended to an answer. The host coalesces consecutive deltas of one answer into one message. */
export interface AnswerDeltaMsg {
  type: 'answer.delta';
  id: string;
  text: string;
}
export interface AnswerStatusMsg {
  type: 'answer.status';
  id: string;
  /** e.g. "queued (rate limit)", "429 rate limited, retrying in 2.0 s, attempt 2 of 4", "falling back to …". Empty clears. */
  text: string;
}
/** Live figures; fields present replace the previous values, absent ones are kept, `notes` are appended (see `mergeLive`). */
export interface AnswerMetaMsg {
  type: 'answer.meta';
  id: string;
  meta: LiveMeta;
}
export interface AnswerEndMsg {
  type: 'answer.end';
  id: string;
  outcome: AnswerOutcome;
  message?: string;
  meta?: LiveMeta;
}
/** One update to one answer; the host sends these one per frame inside a `batch`. */
export type AnswerUpdate = AnswerStartMsg | AnswerDeltaMsg | AnswerStatusMsg | AnswerMetaMsg | AnswerEndMsg;

export function isAnswerUpdate(v: unknown): v is AnswerUpdate {
  if (!isRecord(v) || !isId(v.id)) return false;
  switch (v.type) {
    case 'answer.start':
      return (
        hasOnlyKeys(v, ['type', 'id', 'title', 'meta', 'startedAt']) &&
        typeof v.title === 'string' &&
        isAnswerMeta(v.meta) &&
        isFiniteNumber(v.startedAt)
      );
    case 'answer.delta':
    case 'answer.status':
      return hasOnlyKeys(v, ['type', 'id', 'text']) && typeof v.text === 'string';
    case 'answer.meta':
      return hasOnlyKeys(v, ['type', 'id', 'meta']) && isLiveMeta(v.meta);
    case 'answer.end':
      return (
        hasOnlyKeys(v, ['type', 'id', 'outcome'], ['message', 'meta']) &&
        isOutcome(v.outcome) &&
        (v.message === undefined || typeof v.message === 'string') &&
        (v.meta === undefined || isLiveMeta(v.meta))
      );
    default:
      return false;
  }
}

export interface BatchMsg {
  type: 'batch';
  updates: AnswerUpdate[];
}
/** Replace everything the webview shows with these answers (oldest first). */
export interface StateRestoreMsg {
  type: 'state.restore';
  answers: AnswerSnapshot[];
}

export type HostToAnswerView = AnswerUpdate | BatchMsg | StateRestoreMsg | ReplyMsg;

/** Validate a message from the host to the answer webview (the webview checks too). */
export function isHostToAnswerView(v: unknown): v is HostToAnswerView {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'batch':
      return hasOnlyKeys(v, ['type', 'updates']) && Array.isArray(v.updates) && v.updates.every(isAnswerUpdate);
    case 'state.restore':
      return hasOnlyKeys(v, ['type', 'answers']) && Array.isArray(v.answers) && v.answers.every(isAnswerSnapshot);
    case 'reply':
      return isReply(v);
    default:
      return isAnswerUpdate(v);
  }
}

/**
 * Like `isHostToAnswerView`, but a batch keeps its valid updates and drops only the invalid ones (one bad number
 * must not lose a frame of text). Returns undefined for anything else that is invalid.
 */
export function parseHostToAnswerView(v: unknown): HostToAnswerView | undefined {
  if (isRecord(v) && v.type === 'batch' && Array.isArray(v.updates)) {
    return { type: 'batch', updates: v.updates.filter(isAnswerUpdate) };
  }
  return isHostToAnswerView(v) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Answer webview → host
// ---------------------------------------------------------------------------------------------------------------

export interface StopMsg extends Req<'stop'> {
  id: string;
}
export interface RetryMsg extends Req<'retry'> {
  id: string;
}
export interface EscalateMsg extends Req<'escalate'> {
  id: string;
}
export interface CopyMsg extends Req<'copy'> {
  text: string;
}
export interface InsertMsg extends Req<'insert'> {
  text: string;
  /** The answer the code block belongs to (its editor target is used). */
  id?: string;
}
export interface ReplaceMsg extends Req<'replace'> {
  text: string;
  id?: string;
}

export type AnswerViewToHost = ReadyMsg | StopMsg | RetryMsg | EscalateMsg | CopyMsg | InsertMsg | ReplaceMsg;
export type AnswerViewRequest = Exclude<AnswerViewToHost, ReadyMsg>;

/**
 * Validate a message posted by the answer webview. Returns the typed message, or undefined when it is unknown,
 * ill-typed or carries extra fields.
 */
export const parseAnswerViewMessage: (v: unknown) => AnswerViewToHost | undefined = neverThrows(parseAnswerView);

function parseAnswerView(v: unknown): AnswerViewToHost | undefined {
  if (!isRecord(v) || !isSeq(v.seq)) return undefined;
  switch (v.type) {
    case 'ready':
      return hasOnlyKeys(v, ['type', 'seq']) ? { type: 'ready', seq: v.seq } : undefined;
    case 'stop':
    case 'retry':
    case 'escalate':
      return hasOnlyKeys(v, ['type', 'seq', 'id']) && isId(v.id) ? { type: v.type, seq: v.seq, id: v.id } : undefined;
    case 'copy':
      return hasOnlyKeys(v, ['type', 'seq', 'text']) && isText(v.text) && v.text.length > 0
        ? { type: v.type, seq: v.seq, text: v.text }
        : undefined;
    case 'insert':
    case 'replace':
      if (!hasOnlyKeys(v, ['type', 'seq', 'text'], ['id']) || !isText(v.text) || v.text.length === 0) return undefined;
      if (v.id === undefined) return { type: v.type, seq: v.seq, text: v.text };
      return isId(v.id) ? { type: v.type, seq: v.seq, text: v.text, id: v.id } : undefined;
    default:
      return undefined;
  }
}
