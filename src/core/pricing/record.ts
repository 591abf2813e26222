/** One ledger record: what a finished call used and cost, priced when it ended. */
import type { Currency, ProviderId, Tier, Usage } from '../types';
import type { Catalogue } from './catalogue';
import { costOf } from './cost';
import { toUsd } from './currency';

export type Outcome = 'ok' | 'cancelled' | 'interrupted' | 'error' | 'truncated';

/**
 * Where a call came from: `panel` (an editor command, its answer in the answer panel), `promptFile` (Run on a prompt
 * file), `batch` (a batch job's results), `setup` (Check Setup's one-token call). The set is open: a later front end
 * (chat) adds its own name, and an older Tierwise reads a name it does not know as it is.
 */
export type CallSource = 'panel' | 'promptFile' | 'batch' | 'setup' | (string & {});

/** The label of records without a workspace (made before workspaces were recorded, or in a window without a folder). */
export const NO_WORKSPACE_LABEL = '(no workspace)';
/** Their group key. */
export const NO_WORKSPACE = '(none)';

/**
 * How an auto-routed request (Ask About Selection, tasks with tier `auto`) got its tier, and what the same usage
 * would have cost on the task's default tier and on the top tier (same provider), priced when it was recorded.
 */
export interface RoutingInfo {
  /** The tier the router chose, before any override or escalation by the user. */
  routedTier: Tier;
  /** The task's own tier without auto routing. */
  defaultTier: Tier;
  source: 'rules' | 'learned' | 'judge' | 'override' | 'escalated';
  /** USD of the same usage on the default tier's model; absent when that model has no price. */
  defaultTierUsd?: number;
  /** USD of the same usage on the top tier's model; absent when that model has no price. */
  topTierUsd?: number;
}

/** What is known of a call when it ends, before and after it is priced. */
interface CallFacts {
  /** ms since the epoch, when the request ended. */
  time: number;
  session?: string;
  provider: ProviderId;
  model: string;
  tier?: Tier;
  task?: string;
  /** false when the provider did not report usage and the tokens are estimates. */
  usageReported?: boolean;
  batch?: boolean;
  latencyMs: number;
  retries: number;
  outcome: Outcome;
  /** Error kind (ProviderError.kind) for failed requests. */
  error?: string;
  /** Auto-routed requests only (absent in records written before auto routing). */
  routing?: RoutingInfo;
  /** `routing`: a call made to route another request (the judge), not an answer. */
  overhead?: 'routing';
  /**
   * The workspace the call was made in: the first 12 hex digits of the SHA-256 of its first folder's URI (the same
   * folder always gives the same id; the id does not reveal the path). Absent in older records and in a window
   * without a folder.
   */
  workspace?: string;
  /** That folder's name, for display (the report, the CSV). */
  workspaceName?: string;
  /** Where the request came from (absent in older records). */
  source?: CallSource;
  /** The route's one-line reason ("simple tier: classification, 180 input tokens → …"). */
  reason?: string;
  /** Set when the user escalated the answer: the tier it was escalated from. */
  escalatedFrom?: Tier;
}

/** One finished or cancelled request: its facts, its usage (stored flat) and its price. */
export interface LedgerRecord extends CallFacts, Usage {
  v: 1;
  /** Cost in the model's price currency, and converted to USD at the rate of that day. */
  cost: number;
  currency: Currency;
  costUsd: number;
  cacheSavingsUsd: number;
  /** Where the cost came from when not the catalogue: the gateway's own report (LiteLLM), or a local server (free). */
  costSource?: 'gateway' | 'local';
}

export function usageOf(r: LedgerRecord): Usage {
  return {
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    reasoningTokens: r.reasoningTokens,
    ...(r.explicitCache ? { explicitCache: true } : {}),
  };
}

/** A finished call as the ledger is told of it (before it is priced). */
export interface FinishedCall extends CallFacts {
  usage: Usage;
}

/** Builds a record from a finished call, pricing it with the catalogue (unknown model: cost 0). */
export function makeRecord(catalogue: Catalogue, call: FinishedCall, cnyPerUsd?: number): LedgerRecord {
  const entry = catalogue.get(call.provider, call.model);
  const c = entry ? costOf(entry, call.usage, { batch: call.batch }) : undefined;
  const currency = entry?.currency ?? 'USD';
  return {
    v: 1,
    time: call.time,
    ...(call.session ? { session: call.session } : {}),
    provider: call.provider,
    model: call.model,
    ...(call.tier ? { tier: call.tier } : {}),
    ...(call.task ? { task: call.task } : {}),
    inputTokens: call.usage.inputTokens,
    outputTokens: call.usage.outputTokens,
    cacheReadTokens: call.usage.cacheReadTokens,
    cacheWriteTokens: call.usage.cacheWriteTokens,
    reasoningTokens: call.usage.reasoningTokens,
    ...(call.usage.explicitCache ? { explicitCache: true } : {}),
    ...(call.usageReported === false ? { usageReported: false } : {}),
    ...(call.batch ? { batch: true } : {}),
    cost: c?.total ?? 0,
    currency,
    costUsd: toUsd(c?.total ?? 0, currency, cnyPerUsd),
    // What the cache saved net of any cache-write premium, never below zero (a loss is not a saving).
    cacheSavingsUsd: toUsd(Math.max(0, c?.cacheNet ?? 0), currency, cnyPerUsd),
    latencyMs: call.latencyMs,
    retries: call.retries,
    outcome: call.outcome,
    ...(call.error ? { error: call.error } : {}),
    ...(call.routing ? { routing: { ...call.routing } } : {}),
    ...(call.overhead ? { overhead: call.overhead } : {}),
    ...(call.workspace ? { workspace: call.workspace, ...(call.workspaceName ? { workspaceName: call.workspaceName } : {}) } : {}),
    ...(call.source ? { source: call.source } : {}),
    ...(call.reason ? { reason: call.reason } : {}),
    ...(call.escalatedFrom ? { escalatedFrom: call.escalatedFrom } : {}),
  };
}

/** Whether the user escalated this call (Escalate), as far as the record knows. */
export function wasEscalated(r: LedgerRecord): boolean {
  return !!r.escalatedFrom || r.routing?.source === 'escalated';
}
