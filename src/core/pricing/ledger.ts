import type { LedgerRecord } from './record';

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

const TIER_NAMES: readonly unknown[] = ['simple', 'medium', 'complex'];

/**
 * The optional fields added after the first records (workspace, source, reason, escalation), checked one by one: a
 * field of the wrong shape (an edit by hand, a foreign writer) is dropped and the record kept. Names and reasons
 * are cut to a length a report can show.
 */
function tidyRecord(r: LedgerRecord): LedgerRecord {
  const o = r as LedgerRecord & Record<string, unknown>;
  const bad = (k: keyof LedgerRecord, ok: (v: unknown) => boolean) => k in o && !ok(o[k]);
  const drop: (keyof LedgerRecord)[] = [];
  if (bad('workspace', (v) => typeof v === 'string' && /^[0-9a-f]{8,64}$/.test(v))) drop.push('workspace', 'workspaceName');
  if (bad('workspaceName', (v) => typeof v === 'string' && v.length > 0) || ('workspaceName' in o && !('workspace' in o))) drop.push('workspaceName');
  if (bad('source', (v) => typeof v === 'string' && /^[A-Za-z][\w.-]{0,39}$/.test(v))) drop.push('source');
  if (bad('reason', (v) => typeof v === 'string')) drop.push('reason');
  if (bad('escalatedFrom', (v) => TIER_NAMES.includes(v))) drop.push('escalatedFrom');
  const long = (typeof o.workspaceName === 'string' && o.workspaceName.length > 200) || (typeof o.reason === 'string' && o.reason.length > 500);
  if (!drop.length && !long) return r;
  const out: Record<string, unknown> = { ...o };
  for (const k of drop) delete out[k];
  if (typeof out.workspaceName === 'string') out.workspaceName = out.workspaceName.slice(0, 200);
  if (typeof out.reason === 'string') out.reason = out.reason.slice(0, 500);
  return out as unknown as LedgerRecord;
}

/** The readable records of a ledger's text, and how many non-empty lines could not be read. */
export function scanLedger(text: string): { records: LedgerRecord[]; damaged: number } {
  const records: LedgerRecord[] = [];
  let damaged = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r: unknown = JSON.parse(line);
      if (isRecord(r)) records.push(tidyRecord(r));
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
function corruptName(file: string, now: number): string {
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
