import type { Currency, ProviderId, Tier, Usage } from '../types';
import type { Catalogue } from './catalogue';
import { costOf } from './cost';
import { toUsd } from './currency';

export type Outcome = 'ok' | 'cancelled' | 'interrupted' | 'error' | 'truncated';

/** One finished or cancelled request. */
export interface LedgerRecord {
  v: 1;
  /** ms since the epoch, when the request ended. */
  time: number;
  session?: string;
  provider: ProviderId;
  model: string;
  tier?: Tier;
  task?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** DashScope: the cache counts are an explicit cache's (its hits bill at another price than implicit ones). */
  explicitCache?: boolean;
  /** false when the provider did not report usage and the tokens are estimates. */
  usageReported?: boolean;
  batch?: boolean;
  /** Cost in the model's price currency, and converted to USD at the rate of that day. */
  cost: number;
  currency: Currency;
  costUsd: number;
  cacheSavingsUsd: number;
  latencyMs: number;
  retries: number;
  outcome: Outcome;
  /** Error kind (ProviderError.kind) for failed requests. */
  error?: string;
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

/** Builds a record from a finished call, pricing it with the catalogue (unknown model: cost 0). */
export function makeRecord(
  catalogue: Catalogue,
  call: {
    time: number;
    session?: string;
    provider: ProviderId;
    model: string;
    tier?: Tier;
    task?: string;
    usage: Usage;
    usageReported?: boolean;
    batch?: boolean;
    latencyMs: number;
    retries: number;
    outcome: Outcome;
    error?: string;
  },
  cnyPerUsd?: number,
): LedgerRecord {
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
  };
}

/** The file operations the ledger needs (a port, so tests can tear writes and simulate crashes). */
export interface LedgerFs {
  /** Append `data` to the file, creating it (and its folder) when missing. */
  append(path: string, data: string): Promise<void>;
  /** The whole file, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
}

/** The real file system (Node). */
export async function nodeLedgerFs(): Promise<LedgerFs> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  return {
    async append(file, data) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.appendFile(file, data, 'utf8');
    },
    async read(file) {
      try {
        return await fs.readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/** Parses JSON Lines, skipping torn or foreign lines (a crash mid-append leaves at most one). */
export function parseLedger(text: string): LedgerRecord[] {
  const out: LedgerRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as LedgerRecord;
      if (r && r.v === 1 && typeof r.time === 'number' && typeof r.costUsd === 'number') out.push(r);
    } catch {
      // torn line: skipped
    }
  }
  return out;
}

/**
 * Append-only JSON Lines ledger. Each record is one `write` of one line ending in '\n'. If the process dies in the
 * middle of a write, the file ends in a torn line: reading skips it, and the first append after reopening starts
 * with a '\n' so the torn bytes never glue onto a good record. Earlier records are never rewritten.
 */
export class Ledger {
  private tail: Promise<unknown> = Promise.resolve();
  /** undefined = not checked yet since opening (or since a failed write). */
  private endsClean: boolean | undefined;

  constructor(
    private readonly fs: LedgerFs,
    readonly path: string,
  ) {}

  /** Appends one record; appends are serialised in call order. */
  append(record: LedgerRecord): Promise<void> {
    const run = async () => {
      if (this.endsClean === undefined) {
        const current = await this.fs.read(this.path);
        this.endsClean = !current || current.endsWith('\n');
      }
      const line = JSON.stringify(record) + '\n';
      const data = this.endsClean ? line : '\n' + line;
      this.endsClean = undefined;
      await this.fs.append(this.path, data);
      this.endsClean = true;
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => undefined);
    return p;
  }

  async readAll(): Promise<LedgerRecord[]> {
    await this.tail;
    return parseLedger((await this.fs.read(this.path)) ?? '');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Queries (pure)

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
}

export function spend(records: readonly LedgerRecord[], now: number, session?: string, dayOf: (t: number) => string = localDay): Spend {
  const today = dayOf(now);
  const month = today.slice(0, 7);
  let todayUsd = 0;
  let monthUsd = 0;
  let sessionUsd = 0;
  let requestsToday = 0;
  for (const r of records) {
    const day = dayOf(r.time);
    if (day === today) {
      todayUsd += r.costUsd;
      requestsToday++;
    }
    if (day.slice(0, 7) === month) monthUsd += r.costUsd;
    if (session !== undefined && r.session === session) sessionUsd += r.costUsd;
  }
  return { todayUsd, monthUsd, sessionUsd, requestsToday };
}

export type GroupKey = 'day' | 'provider' | 'model' | 'tier' | 'task' | 'outcome';

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

/** Totals grouped by day / provider / model / tier / task / outcome, dearest first (days: newest first). */
export function groupBy(records: readonly LedgerRecord[], key: GroupKey, dayOf: (t: number) => string = localDay): GroupRow[] {
  const map = new Map<string, GroupRow & { latencySum: number }>();
  for (const r of records) {
    const k =
      key === 'day' ? dayOf(r.time) : key === 'provider' ? r.provider : key === 'model' ? `${r.provider}/${r.model}` : key === 'tier' ? (r.tier ?? '(none)') : key === 'task' ? (r.task ?? '(none)') : r.outcome;
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

const CSV_COLUMNS: (keyof LedgerRecord)[] = [
  'time',
  'session',
  'provider',
  'model',
  'tier',
  'task',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'batch',
  'cost',
  'currency',
  'costUsd',
  'cacheSavingsUsd',
  'latencyMs',
  'retries',
  'outcome',
  'error',
];

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row; time as ISO 8601 (UTC). Cells that could be read as formulas are quoted. */
export function toCsv(records: readonly LedgerRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'time' ? new Date(r.time).toISOString() : r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
