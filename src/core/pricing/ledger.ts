import type { Currency, ProviderId, Tier, Usage } from '../types';
import type { Catalogue } from './catalogue';
import { costOf } from './cost';
import { toUsd } from './currency';

export type Outcome = 'ok' | 'cancelled' | 'interrupted' | 'error' | 'truncated';

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
  /** Auto-routed requests only (absent in records written before auto routing). */
  routing?: RoutingInfo;
  /** `routing`: a call made to route another request (the judge), not an answer. */
  overhead?: 'routing';
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
    routing?: RoutingInfo;
    overhead?: 'routing';
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
    ...(call.routing ? { routing: { ...call.routing } } : {}),
    ...(call.overhead ? { overhead: call.overhead } : {}),
  };
}

/** The file operations the ledger needs (a port, so tests can tear writes and simulate crashes). */
export interface LedgerFs {
  /** Append `data` to the file, creating it (and its folder) when missing. */
  append(path: string, data: string): Promise<void>;
  /** The whole file, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /** Replace the file's whole content (recovery only). Without it a damaged ledger is read but not repaired. */
  write?(path: string, data: string): Promise<void>;
  /** Rename a file, replacing the target (recovery only). */
  rename?(from: string, to: string): Promise<void>;
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
    async write(file, data) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, data, 'utf8');
    },
    async rename(from, to) {
      await fs.rename(from, to);
    },
  };
}

function isRecord(r: unknown): r is LedgerRecord {
  const o = r as Partial<LedgerRecord> | null;
  return !!o && typeof o === 'object' && o.v === 1 && typeof o.time === 'number' && typeof o.costUsd === 'number';
}

/** The readable records of a ledger's text, and how many non-empty lines could not be read. */
export function scanLedger(text: string): { records: LedgerRecord[]; damaged: number } {
  const records: LedgerRecord[] = [];
  let damaged = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r: unknown = JSON.parse(line);
      if (isRecord(r)) records.push(r);
      else damaged++;
    } catch {
      damaged++;
    }
  }
  return { records, damaged };
}

/** What opening a damaged ledger did: the readable records were kept, the damaged file was copied to `movedTo`. */
export interface LedgerRecovery {
  damagedLines: number;
  keptRecords: number;
  /** Where the damaged file now is; undefined when the file system cannot write (read-only recovery). */
  movedTo?: string;
}

/** `ledger.jsonl.corrupt-2026-12-01T07-50-00Z`: a name that sorts by time and is valid on every file system. */
export function corruptName(file: string, now: number): string {
  return `${file}.corrupt-${new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}`;
}

/** Parses JSON Lines, skipping torn or foreign lines (a crash mid-append leaves at most one). */
export function parseLedger(text: string): LedgerRecord[] {
  return scanLedger(text).records;
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

  /**
   * Reads the ledger as it is opened, and repairs it when some lines cannot be read (a garbage line, a torn last
   * line left by a crash): the damaged file is kept aside as `corruptName(path)`, and the ledger is rewritten with
   * every readable record, in order (through a temporary file renamed over it, so a crash here loses nothing).
   */
  async open(now = Date.now()): Promise<{ records: LedgerRecord[]; recovery?: LedgerRecovery }> {
    await this.tail;
    const text = (await this.fs.read(this.path)) ?? '';
    const { records, damaged } = scanLedger(text);
    if (!damaged) return { records };
    const recovery: LedgerRecovery = { damagedLines: damaged, keptRecords: records.length };
    const { write, rename } = this.fs;
    if (write && rename) {
      const aside = corruptName(this.path, now);
      await write.call(this.fs, aside, text);
      const tmp = `${this.path}.tmp-${now.toString(36)}`;
      await write.call(this.fs, tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
      await rename.call(this.fs, tmp, this.path);
      this.endsClean = true;
      recovery.movedTo = aside;
    }
    return { records, recovery };
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
