/**
 * The batch jobs this installation submitted, kept in the extension's global state so that polling resumes after a
 * window reload. A job holds its id, where it runs and short item labels: never a key, never the items' text.
 * No 'vscode' import: the state is a port (a Memento fits), so this runs in unit tests.
 */
import type { BatchCounts, BatchJobItem, BatchProviderId, BatchStatus } from '../../core/batch';
import type { Tier } from '../../core/types';

export const BATCH_JOBS_STATE_KEY = 'tierwise.batch.jobs';

export interface BatchJobRecord {
  id: string;
  provider: BatchProviderId;
  /** The API base URL the job was submitted to (empty: the provider's default). */
  baseUrl?: string;
  model: string;
  tier: Tier;
  task: string;
  taskLabel: string;
  /** The route's one-line reason, for the answer's header. */
  reason: string;
  items: BatchJobItem[];
  /** ms since the epoch. */
  submittedAt: number;
  status: BatchStatus;
  rawStatus: string;
  counts?: BatchCounts;
  /** Set once the results were shown and recorded, by whichever window got there first. */
  finishedAt?: number;
  /** The last problem polling or fetching results, for the jobs list. */
  error?: string;
  /**
   * The workspace it was submitted from (its results may arrive in another window): see `LedgerRecord.workspace`;
   * '' for a window without a folder, absent in jobs submitted before workspaces were recorded.
   */
  workspace?: string;
  workspaceName?: string;
  /** Set when the job is an Escalate of another: that job's tier. */
  escalatedFrom?: Tier;
}

/** The part of a vscode.Memento the store uses. */
export interface StatePort {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * The jobs as this window last wrote them, laid over the stored list. The extension host's memento can be set back
 * to an older value by the echo of an earlier write arriving after a newer one, which would lose a job just added or
 * a claim just made; what this window wrote stays true here, while other windows' claims (a finishedAt in the stored
 * list) still win, so each job's results are shown and recorded once.
 */
export class BatchJobStore {
  private readonly written = new Map<string, BatchJobRecord | null>();
  private readonly released = new Set<string>();

  constructor(
    private readonly state: StatePort,
    /** Finished jobs kept for the list; pending ones are always kept. */
    private readonly keepFinished = 30,
  ) {}

  /** Newest first. */
  all(): BatchJobRecord[] {
    const raw = this.state.get<unknown>(BATCH_JOBS_STATE_KEY);
    const byId = new Map((Array.isArray(raw) ? raw.filter(isJobRecord) : []).map((j) => [j.id, j]));
    for (const [id, mine] of this.written) {
      const stored = byId.get(id);
      if (mine === null) byId.delete(id);
      else if (stored?.finishedAt !== undefined && mine.finishedAt === undefined && !this.released.has(id)) byId.set(id, { ...mine, finishedAt: stored.finishedAt });
      else byId.set(id, mine);
    }
    return [...byId.values()].sort((a, b) => b.submittedAt - a.submittedAt);
  }

  pending(): BatchJobRecord[] {
    return this.all().filter((j) => j.finishedAt === undefined);
  }

  get(id: string): BatchJobRecord | undefined {
    return this.all().find((j) => j.id === id);
  }

  async add(job: BatchJobRecord): Promise<void> {
    await this.save([job, ...this.all().filter((j) => j.id !== job.id)]);
  }

  /** Merge `patch` into a stored job; false when there is no such job. */
  async update(id: string, patch: Partial<Omit<BatchJobRecord, 'id'>>): Promise<boolean> {
    const list = this.all();
    const i = list.findIndex((j) => j.id === id);
    if (i < 0) return false;
    list[i] = { ...list[i]!, ...patch };
    await this.save(list);
    return true;
  }

  /**
   * Mark a job finished unless it already is (another window got there first): true when this caller now owns
   * showing and recording its results.
   */
  async claimFinish(id: string, patch: Partial<Omit<BatchJobRecord, 'id'>> = {}, now = Date.now()): Promise<boolean> {
    const job = this.get(id);
    if (!job || job.finishedAt !== undefined) return false;
    this.released.delete(id);
    return this.update(id, { ...patch, finishedAt: now, error: undefined });
  }

  /** Undo a claim (the results could not be fetched): the job is pending again. */
  async release(id: string, error: string): Promise<void> {
    this.released.add(id);
    await this.update(id, { finishedAt: undefined, error });
  }

  async remove(id: string): Promise<void> {
    this.written.set(id, null);
    await this.save(this.all());
  }

  private async save(list: BatchJobRecord[]): Promise<void> {
    const sorted = [...list].sort((a, b) => b.submittedAt - a.submittedAt);
    let finished = 0;
    // undefined fields are dropped by JSON; keep the stored shape clean.
    const kept = JSON.parse(JSON.stringify(sorted.filter((j) => j.finishedAt === undefined || ++finished <= this.keepFinished))) as BatchJobRecord[];
    const keptIds = new Set(kept.map((j) => j.id));
    for (const [id, mine] of this.written) if (mine !== null && !keptIds.has(id)) this.written.delete(id);
    for (const j of kept) this.written.set(j.id, j);
    await this.state.update(BATCH_JOBS_STATE_KEY, kept);
  }
}

function isJobRecord(v: unknown): v is BatchJobRecord {
  if (!v || typeof v !== 'object') return false;
  const j = v as Record<string, unknown>;
  return (
    typeof j.id === 'string' &&
    (j.provider === 'openai' || j.provider === 'anthropic' || j.provider === 'dashscope') &&
    typeof j.model === 'string' &&
    typeof j.task === 'string' &&
    typeof j.submittedAt === 'number' &&
    Array.isArray(j.items)
  );
}
