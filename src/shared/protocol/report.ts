/**
 * The cost report's messages, each guard next to its type. The host accepts from the webview only what
 * `parseReportViewMessage` returns; the webview checks what the host sends with `isHostToReportView`.
 *
 * Pure TypeScript, shared by host and browser bundles: nothing here may import 'vscode'.
 */
import type { Currency } from '../../core/types';
import type { ReadyMsg, ReplyMsg, Req } from './common';
import { hasOnlyKeys, isCount, isFiniteNumber, isRecord, isReply, isSeq, neverThrows } from './common';

export const REPORT_VIEW_TYPE = 'tierwise.costReport';

// ---------------------------------------------------------------------------------------------------------------
// The report's data
// ---------------------------------------------------------------------------------------------------------------

/** One bar of a series: spend and volume of a group of requests. Amounts are in the report's currency. */
export interface CostPoint {
  /** Group key: ISO day (YYYY-MM-DD), provider id, model name, tier, task or workspace id (`(none)`: no workspace). */
  key: string;
  /** Display label; defaults to `key`. */
  label?: string;
  cost: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
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

const ROUTING_REPORT_KEYS = ['requests', 'cost', 'defaultTierCost', 'topTierCost', 'unpriced', 'escalations', 'learned', 'judgeCalls', 'judgeCost'] as const;

/** The longest workspace key the report takes (ids are 12 hex digits; `(none)` for records without one). */
export const MAX_WORKSPACE_KEY = 64;

/** A workspace the report can be filtered to. */
export interface WorkspaceOption {
  /** Its id (`LedgerRecord.workspace`), or `(none)`. */
  key: string;
  /** Its folder name, or `(no workspace)`. */
  label: string;
  /** This window's workspace. */
  current?: boolean;
}

function isWorkspaceKey(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_WORKSPACE_KEY;
}

function isWorkspaceOption(v: unknown): v is WorkspaceOption {
  return isRecord(v) && hasOnlyKeys(v, ['key', 'label'], ['current']) && isWorkspaceKey(v.key) && typeof v.label === 'string' && (v.current === undefined || typeof v.current === 'boolean');
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
  /** Spend by where the calls came from: the answer panel, VS Code chat, prompt files, batch, Check Setup. */
  bySource: CostPoint[];
  /** Spend by workspace (labels: folder names). */
  byWorkspace: CostPoint[];
  /** Every workspace in the ledger, whatever the filter: the filter's choices. */
  workspaces: WorkspaceOption[];
  /** The workspace the report is filtered to (a key of `workspaces`); absent: every workspace. */
  workspace?: string;
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

function allNumbers(o: unknown, keys: readonly string[]): boolean {
  return isRecord(o) && hasOnlyKeys(o, keys) && keys.every((k) => isFiniteNumber(o[k]));
}

export function isCostReportData(v: unknown): v is CostReportData {
  if (!isRecord(v)) return false;
  const series = ['byDay', 'byProvider', 'byModel', 'byTier', 'byTask', 'bySource', 'byWorkspace'] as const;
  return (
    hasOnlyKeys(v, ['currency', 'generatedAt', 'from', 'to', ...series, 'workspaces', 'totals', 'savings'], ['routing', 'prices', 'workspace']) &&
    Array.isArray(v.workspaces) &&
    v.workspaces.every(isWorkspaceOption) &&
    (v.workspace === undefined || isWorkspaceKey(v.workspace)) &&
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

// ---------------------------------------------------------------------------------------------------------------
// Host → report webview
// ---------------------------------------------------------------------------------------------------------------

export interface ReportDataMsg {
  type: 'report.data';
  data: CostReportData;
}
export type HostToReportView = ReportDataMsg | ReplyMsg;

export function isHostToReportView(v: unknown): v is HostToReportView {
  if (!isRecord(v)) return false;
  if (v.type === 'report.data') return hasOnlyKeys(v, ['type', 'data']) && isCostReportData(v.data);
  if (v.type === 'reply') return isReply(v);
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Report webview → host
// ---------------------------------------------------------------------------------------------------------------

export type ExportCsvMsg = Req<'report.exportCsv'>;
export type RefreshMsg = Req<'report.refresh'>;
/** Show one workspace's spend (a `WorkspaceOption.key`), or every workspace's (no `workspace`). */
export interface FilterMsg extends Req<'report.filter'> {
  workspace?: string;
}
export type ReportViewToHost = ReadyMsg | ExportCsvMsg | RefreshMsg | FilterMsg;

/** Validate a message posted by the cost report webview. */
export const parseReportViewMessage: (v: unknown) => ReportViewToHost | undefined = neverThrows(parseReportView);

function parseReportView(v: unknown): ReportViewToHost | undefined {
  if (!isRecord(v) || !isSeq(v.seq)) return undefined;
  if (v.type === 'report.filter') {
    if (!hasOnlyKeys(v, ['type', 'seq'], ['workspace'])) return undefined;
    if (v.workspace === undefined) return { type: 'report.filter', seq: v.seq };
    return isWorkspaceKey(v.workspace) ? { type: 'report.filter', seq: v.seq, workspace: v.workspace } : undefined;
  }
  if (!hasOnlyKeys(v, ['type', 'seq'])) return undefined;
  switch (v.type) {
    case 'ready':
    case 'report.exportCsv':
    case 'report.refresh':
      return { type: v.type, seq: v.seq };
    default:
      return undefined;
  }
}
