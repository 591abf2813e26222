/**
 * The one message protocol between the extension host and Tierwise's webviews (answer panel, cost report).
 *
 * - The host queues every post until the webview has sent `ready` (see `src/host/panels/channel.ts`).
 * - Every message from a webview carries `seq`, a sequence number the host echoes in its `reply`.
 * - The host never trusts a webview message: `parseAnswerViewMessage` / `parseReportViewMessage` accept only the
 *   shapes below and reject anything unknown or ill-typed. The webviews validate what the host sends as well.
 *
 * Pure TypeScript, shared by host and browser bundles: nothing here may import 'vscode'.
 */
import type { Currency, ProviderId, Tier } from '../core/types';
import { PROVIDER_IDS, TIERS } from '../core/types';

// ---------------------------------------------------------------------------------------------------------------
// Answer panel
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

export interface BatchMsg {
  type: 'batch';
  updates: AnswerUpdate[];
}
/** Replace everything the webview shows with these answers (oldest first). */
export interface StateRestoreMsg {
  type: 'state.restore';
  answers: AnswerSnapshot[];
}
/** The host's answer to a webview request with sequence number `seq`. */
export interface ReplyMsg {
  type: 'reply';
  seq: number;
  ok: boolean;
  error?: string;
}

export type HostToAnswerView = AnswerUpdate | BatchMsg | StateRestoreMsg | ReplyMsg;

interface Req<T extends string> {
  type: T;
  /** Sequence number, unique per webview instance, echoed in the host's `reply`. */
  seq: number;
}
export type ReadyMsg = Req<'ready'>;
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

// ---------------------------------------------------------------------------------------------------------------
// Cost report
// ---------------------------------------------------------------------------------------------------------------

/** One bar of a series: spend and volume of a group of requests. Amounts are in the report's currency. */
export interface CostPoint {
  /** Group key: ISO day (YYYY-MM-DD), provider id, model name, tier or task. */
  key: string;
  /** Display label; defaults to `key`. */
  label?: string;
  cost: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CostReportData {
  currency: Currency;
  /** ISO timestamp of when the aggregates were computed. */
  generatedAt: string;
  /** Inclusive ISO days covered. */
  from: string;
  to: string;
  /** Which prices the amounts use, e.g. "built-in prices of 2026-12-01" or "LiteLLM price list of 2026-12-03". */
  prices?: string;
  byDay: CostPoint[];
  byProvider: CostPoint[];
  byModel: CostPoint[];
  byTier: CostPoint[];
  byTask: CostPoint[];
  totals: {
    cost: number;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    cachedTokens: number;
  };
  savings: {
    /** Input tokens served from the prompt cache. */
    cacheTokens: number;
    /**
     * What caching saved versus paying the full input price for those tokens, minus what cache writes cost above
     * the input price. Negative when the writes cost more than the reads saved.
     */
    cacheCost: number;
    /** Tokens (input + output) sent through batch APIs. */
    batchTokens: number;
    /** What batch pricing saved versus the interactive price. */
    batchCost: number;
    /** What the same requests would have cost on the top (complex) tier. */
    topTierCost: number;
    /**
     * topTierCost − the cost of the same requests as spent (each on its own provider's top tier): the saving from
     * tiering. Negative when tiering cost more than the top tier would have.
     */
    tieringCost: number;
    /** Requests answered by a local server (free). */
    localRequests: number;
    /** What those requests would have cost on the cloud model of the same tier. */
    localCost: number;
  };
  /** Auto-routed requests (Ask About Selection, tier `auto`); absent when there are none. */
  routing?: RoutingReport;
}

/** What routing by the request did: cost against the default and the top tier, escalations, the judge's overhead. */
export interface RoutingReport {
  /** Auto-routed answers (the judge's own calls not included). */
  requests: number;
  /** What those of them with known prices cost, plus the judge's calls. */
  cost: number;
  /** The same usage on each task's default tier. */
  defaultTierCost: number;
  /** The same usage on the top tier. */
  topTierCost: number;
  /** Auto-routed answers without a price on some tier (left out of the three amounts above). */
  unpriced: number;
  /** Answers the user escalated from an auto-routed one. */
  escalations: number;
  /** Requests whose tier came from a past choice of the user. */
  learned: number;
  /** Judge calls (routing overhead) and what they cost. */
  judgeCalls: number;
  judgeCost: number;
}

export interface ReportDataMsg {
  type: 'report.data';
  data: CostReportData;
}
export type HostToReportView = ReportDataMsg | ReplyMsg;

export type ExportCsvMsg = Req<'report.exportCsv'>;
export type RefreshMsg = Req<'report.refresh'>;
export type ReportViewToHost = ReadyMsg | ExportCsvMsg | RefreshMsg;

// ---------------------------------------------------------------------------------------------------------------
// Validation (hand-written guards; no schema library needed for a dozen shapes)
// ---------------------------------------------------------------------------------------------------------------

/** Largest text a webview may send (copy/insert/replace of a code block). */
export const MAX_TEXT_LENGTH = 1_000_000;
export const MAX_ID_LENGTH = 128;

type Rec = Record<string, unknown>;

/** A plain object (what structured clone of a JSON-like message gives): no arrays, no class instances. */
function isRecord(v: unknown): v is Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH && /^[\w.:-]+$/.test(v);
}
function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_TEXT_LENGTH;
}
function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isCount(v: unknown): v is number {
  return isFiniteNumber(v) && v >= 0;
}
/** The record has exactly the allowed keys (and all required ones). */
function hasOnlyKeys(o: Rec, required: readonly string[], optional: readonly string[] = []): boolean {
  // Own keys only: an inherited `type` or `seq` (a polluted prototype) does not count.
  for (const k of required) if (!Object.hasOwn(o, k)) return false;
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) return false;
  return true;
}

/**
 * Validate a message posted by the answer webview. Returns the typed message, or undefined when it is unknown,
 * ill-typed or carries extra fields.
 */
export function parseAnswerViewMessage(v: unknown): AnswerViewToHost | undefined {
  try {
    return parseAnswerView(v);
  } catch {
    return undefined; // a getter or proxy that throws: not a message
  }
}

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

/** Validate a message posted by the cost report webview. */
export function parseReportViewMessage(v: unknown): ReportViewToHost | undefined {
  try {
    return parseReportView(v);
  } catch {
    return undefined;
  }
}

function parseReportView(v: unknown): ReportViewToHost | undefined {
  if (!isRecord(v) || !isSeq(v.seq) || !hasOnlyKeys(v, ['type', 'seq'])) return undefined;
  switch (v.type) {
    case 'ready':
    case 'report.exportCsv':
    case 'report.refresh':
      return { type: v.type, seq: v.seq };
    default:
      return undefined;
  }
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

function isOutcome(v: unknown): v is AnswerOutcome {
  return (ANSWER_OUTCOMES as readonly unknown[]).includes(v);
}

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

function isReply(v: Rec): v is Rec & ReplyMsg {
  return (
    hasOnlyKeys(v, ['type', 'seq', 'ok'], ['error']) &&
    isSeq(v.seq) &&
    typeof v.ok === 'boolean' &&
    (v.error === undefined || typeof v.error === 'string')
  );
}

function isCostPoint(v: unknown): v is CostPoint {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['key', 'cost', 'requests', 'inputTokens', 'outputTokens'], ['label']) &&
    typeof v.key === 'string' &&
    (v.label === undefined || typeof v.label === 'string') &&
    isFiniteNumber(v.cost) &&
    isCount(v.requests) &&
    isCount(v.inputTokens) &&
    isCount(v.outputTokens)
  );
}

const ROUTING_REPORT_KEYS = ['requests', 'cost', 'defaultTierCost', 'topTierCost', 'unpriced', 'escalations', 'learned', 'judgeCalls', 'judgeCost'] as const;

function allNumbers(o: unknown, keys: readonly string[]): boolean {
  return isRecord(o) && hasOnlyKeys(o, keys) && keys.every((k) => isFiniteNumber(o[k]));
}

export function isCostReportData(v: unknown): v is CostReportData {
  if (!isRecord(v)) return false;
  const series = ['byDay', 'byProvider', 'byModel', 'byTier', 'byTask'] as const;
  return (
    hasOnlyKeys(v, ['currency', 'generatedAt', 'from', 'to', ...series, 'totals', 'savings'], ['routing', 'prices']) &&
    (v.currency === 'USD' || v.currency === 'CNY') &&
    (v.prices === undefined || typeof v.prices === 'string') &&
    typeof v.generatedAt === 'string' &&
    typeof v.from === 'string' &&
    typeof v.to === 'string' &&
    series.every((s) => Array.isArray(v[s]) && (v[s] as unknown[]).every(isCostPoint)) &&
    allNumbers(v.totals, ['cost', 'requests', 'inputTokens', 'outputTokens', 'cachedTokens']) &&
    allNumbers(v.savings, ['cacheTokens', 'cacheCost', 'batchTokens', 'batchCost', 'topTierCost', 'tieringCost', 'localRequests', 'localCost']) &&
    (v.routing === undefined || allNumbers(v.routing, ROUTING_REPORT_KEYS))
  );
}

export function isHostToReportView(v: unknown): v is HostToReportView {
  if (!isRecord(v)) return false;
  if (v.type === 'report.data') return hasOnlyKeys(v, ['type', 'data']) && isCostReportData(v.data);
  if (v.type === 'reply') return isReply(v);
  return false;
}

/** The webview panel's viewType (also used by the serializer and the `onWebviewPanel:` activation event). */
export const ANSWER_VIEW_TYPE = 'tierwise.answers';
export const REPORT_VIEW_TYPE = 'tierwise.costReport';
