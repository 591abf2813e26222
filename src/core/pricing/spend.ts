/** Queries over ledger records (pure): spend today / this month / this session, totals by group, the top-tier comparison. */
import type { ProviderId } from '../types';
import type { Catalogue } from './catalogue';
import { costOf } from './cost';
import { toUsd } from './currency';
import { NO_WORKSPACE, NO_WORKSPACE_LABEL, usageOf, type LedgerRecord } from './record';

/** Local calendar day "YYYY-MM-DD" of a timestamp (the UI's notion of "today"). */
export function localDay(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface Spend {
  todayUsd: number;
  monthUsd: number;
  sessionUsd: number;
  requestsToday: number;
  /** Today and this month in the workspace asked about (0 when none was: a window without a folder). */
  workspaceTodayUsd: number;
  workspaceMonthUsd: number;
}

/** Spend today, this month and this session; `workspace` (an id, see `LedgerRecord.workspace`) adds that workspace's. */
export function spend(records: readonly LedgerRecord[], now: number, session?: string, dayOf: (t: number) => string = localDay, workspace?: string): Spend {
  const today = dayOf(now);
  const month = today.slice(0, 7);
  let todayUsd = 0;
  let monthUsd = 0;
  let sessionUsd = 0;
  let requestsToday = 0;
  let workspaceTodayUsd = 0;
  let workspaceMonthUsd = 0;
  for (const r of records) {
    const day = dayOf(r.time);
    const here = workspace !== undefined && r.workspace === workspace;
    if (day === today) {
      todayUsd += r.costUsd;
      requestsToday++;
      if (here) workspaceTodayUsd += r.costUsd;
    }
    if (day.slice(0, 7) === month) {
      monthUsd += r.costUsd;
      if (here) workspaceMonthUsd += r.costUsd;
    }
    if (session !== undefined && r.session === session) sessionUsd += r.costUsd;
  }
  return { todayUsd, monthUsd, sessionUsd, requestsToday, workspaceTodayUsd, workspaceMonthUsd };
}

/** A record's workspace group: its id, or `NO_WORKSPACE` for records without one. */
export function workspaceKey(r: LedgerRecord): string {
  return r.workspace ?? NO_WORKSPACE;
}

/** The display name of each workspace group (the latest name recorded for an id; `(no workspace)` for the rest). */
export function workspaceLabels(records: readonly LedgerRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of records) {
    const k = workspaceKey(r);
    if (k === NO_WORKSPACE) out.set(k, NO_WORKSPACE_LABEL);
    else if (r.workspaceName || !out.has(k)) out.set(k, r.workspaceName || k);
  }
  // Two folders of the same name (two clones of one repository) are told apart by the start of their ids.
  const seen = new Map<string, number>();
  for (const name of out.values()) seen.set(name, (seen.get(name) ?? 0) + 1);
  for (const [k, name] of out) if (k !== NO_WORKSPACE && (seen.get(name) ?? 0) > 1) out.set(k, `${name} · ${k.slice(0, 6)}`);
  return out;
}

/** The records of one workspace group (`undefined`: all of them). */
export function inWorkspace(records: readonly LedgerRecord[], key: string | undefined): readonly LedgerRecord[] {
  return key === undefined ? records : records.filter((r) => workspaceKey(r) === key);
}

export type GroupKey = 'day' | 'provider' | 'model' | 'tier' | 'task' | 'outcome' | 'workspace' | 'source';

export interface GroupRow {
  key: string;
  requests: number;
  costUsd: number;
  cacheSavingsUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  latencyMsAvg: number;
  retries: number;
}

/** A record's group under each key (records from before a field existed group as "(none)"). */
const GROUP_OF: Record<Exclude<GroupKey, 'day'>, (r: LedgerRecord) => string> = {
  provider: (r) => r.provider,
  model: (r) => `${r.provider}/${r.model}`,
  tier: (r) => r.tier ?? '(none)',
  task: (r) => r.task ?? '(none)',
  outcome: (r) => r.outcome,
  workspace: (r) => workspaceKey(r),
  source: (r) => r.source ?? '(none)',
};

/** Totals grouped by day / provider / model / tier / task / outcome / workspace / source, dearest first (days: newest first). */
export function groupBy(records: readonly LedgerRecord[], key: GroupKey, dayOf: (t: number) => string = localDay): GroupRow[] {
  const map = new Map<string, GroupRow & { latencySum: number }>();
  const groupOf = key === 'day' ? (r: LedgerRecord) => dayOf(r.time) : GROUP_OF[key];
  for (const r of records) {
    const k = groupOf(r);
    let g = map.get(k);
    if (!g) {
      g = { key: k, requests: 0, costUsd: 0, cacheSavingsUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, latencyMsAvg: 0, retries: 0, latencySum: 0 };
      map.set(k, g);
    }
    g.requests++;
    g.costUsd += r.costUsd;
    g.cacheSavingsUsd += r.cacheSavingsUsd;
    g.inputTokens += r.inputTokens;
    g.outputTokens += r.outputTokens;
    g.cacheReadTokens += r.cacheReadTokens;
    g.cacheWriteTokens += r.cacheWriteTokens;
    g.reasoningTokens += r.reasoningTokens;
    g.retries += r.retries;
    g.latencySum += r.latencyMs;
  }
  const rows = [...map.values()].map(({ latencySum, ...g }) => ({ ...g, latencyMsAvg: g.requests ? latencySum / g.requests : 0 }));
  return key === 'day' ? rows.sort((a, b) => b.key.localeCompare(a.key)) : rows.sort((a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key));
}

export interface TopTierComparison {
  actualUsd: number;
  topTierUsd: number;
  savedUsd: number;
  /** Records whose provider has no top-tier model in the catalogue (not included in either sum). */
  unpriced: number;
}

/**
 * What the same usage would have cost on the top (complex) tier of the same provider. `topModel` chooses that
 * model per provider (default: the catalogue's complex-tier default).
 */
export function topTierComparison(
  records: readonly LedgerRecord[],
  catalogue: Catalogue,
  cnyPerUsd?: number,
  topModel: (provider: ProviderId) => string | undefined = (p) => catalogue.defaultFor(p, 'complex')?.id,
): TopTierComparison {
  let actualUsd = 0;
  let topTierUsd = 0;
  let unpriced = 0;
  for (const r of records) {
    const id = topModel(r.provider);
    const top = id ? catalogue.get(r.provider, id) : undefined;
    if (!top) {
      unpriced++;
      continue;
    }
    actualUsd += r.costUsd;
    topTierUsd += toUsd(costOf(top, usageOf(r), { batch: r.batch }).total, top.currency, cnyPerUsd);
  }
  return { actualUsd, topTierUsd, savedUsd: topTierUsd - actualUsd, unpriced };
}
