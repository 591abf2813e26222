/**
 * The batch jobs this installation submitted, kept in the extension's global state so that polling resumes after a
 * window reload. A job holds its id, where it runs and short item labels: never a key, never the items' text.
 * No 'vscode' import: the state is a port (a Memento fits), so this runs in unit tests.
 */
import type { BatchCounts, BatchJobItem, BatchProviderId, BatchStatus } from '../core/batch';
import type { Tier } from '../core/types';

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
}

/** The part of a vscode.Memento the store uses. */
export interface StatePort {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class BatchJobStore {
  constructor(
    private readonly state: StatePort,
    /** Finished jobs kept for the list; pending ones are always kept. */
    private readonly keepFinished = 30,
  ) {}

  /** Newest first. */
  all(): BatchJobRecord[] {
    const raw = this.state.get<unknown>(BATCH_JOBS_STATE_KEY);
    const list = Array.isArray(raw) ? raw.filter(isJobRecord) : [];
    return [...list].sort((a, b) => b.submittedAt - a.submittedAt);
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
    return this.update(id, { ...patch, finishedAt: now, error: undefined });
  }

  /** Undo a claim (the results could not be fetched): the job is pending again. */
  async release(id: string, error: string): Promise<void> {
    await this.update(id, { finishedAt: undefined, error });
  }

  async remove(id: string): Promise<void> {
    await this.save(this.all().filter((j) => j.id !== id));
  }

  private async save(list: BatchJobRecord[]): Promise<void> {
    const sorted = [...list].sort((a, b) => b.submittedAt - a.submittedAt);
    let finished = 0;
    const kept = sorted.filter((j) => j.finishedAt === undefined || ++finished <= this.keepFinished);
    // undefined fields are dropped by JSON; keep the stored shape clean.
    await this.state.update(BATCH_JOBS_STATE_KEY, JSON.parse(JSON.stringify(kept)));
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
