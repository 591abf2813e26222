import assert from 'node:assert/strict';
import { BATCH_JOBS_STATE_KEY, BatchJobStore, type BatchJobRecord, type StatePort } from '../../../src/host/batch/jobs';

class MemoryState implements StatePort {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
}

const job = (id: string, submittedAt: number, extra: Partial<BatchJobRecord> = {}): BatchJobRecord => ({
  id,
  provider: 'openai',
  model: 'gpt-4o-mini',
  tier: 'simple',
  task: 'extractKeywords',
  taskLabel: 'Extract keywords',
  reason: 'simple tier',
  items: [{ customId: 'item-1', label: 'a' }],
  submittedAt,
  status: 'inProgress',
  rawStatus: 'in_progress',
  ...extra,
});

describe('batch job store', () => {
  it('jobs survive a new store over the same state (a window reload); newest first; pending are the unfinished', async () => {
    const state = new MemoryState();
    const a = new BatchJobStore(state);
    await a.add(job('b1', 1000));
    await a.add(job('b2', 2000));
    await a.update('b1', { status: 'completed', finishedAt: 3000 });
    const b = new BatchJobStore(state);
    assert.deepEqual(b.all().map((j) => j.id), ['b2', 'b1']);
    assert.deepEqual(b.pending().map((j) => j.id), ['b2']);
    assert.equal(b.get('b1')?.status, 'completed');
  });

  it('only one caller claims a finished job (two windows polling the same job record results once)', async () => {
    const state = new MemoryState();
    const w1 = new BatchJobStore(state);
    const w2 = new BatchJobStore(state);
    await w1.add(job('b1', 1000, { error: 'earlier network trouble' }));
    assert.equal(await w1.claimFinish('b1', { status: 'completed' }, 5000), true);
    assert.equal(await w2.claimFinish('b1', { status: 'completed' }, 5001), false);
    assert.equal(w2.get('b1')?.finishedAt, 5000);
    assert.equal(w2.get('b1')?.error, undefined);
    assert.equal(await w2.claimFinish('nope'), false);
  });

  it('a released claim makes the job pending again with the reason', async () => {
    const s = new BatchJobStore(new MemoryState());
    await s.add(job('b1', 1000));
    await s.claimFinish('b1');
    await s.release('b1', 'results: HTTP 500');
    assert.deepEqual(s.pending().map((j) => j.id), ['b1']);
    assert.equal(s.get('b1')?.error, 'results: HTTP 500');
  });

  it('keeps every pending job and only the newest finished ones', async () => {
    const s = new BatchJobStore(new MemoryState(), 2);
    await s.add(job('p', 1));
    for (let i = 0; i < 5; i++) await s.add(job(`f${i}`, 10 + i, { finishedAt: 100 + i }));
    assert.deepEqual(s.all().map((j) => j.id), ['f4', 'f3', 'p']);
  });

  it('stores no keys or item text, and ignores malformed entries', async () => {
    const state = new MemoryState();
    const s = new BatchJobStore(state);
    await s.add(job('b1', 1000));
    const stored = JSON.stringify(state.get(BATCH_JOBS_STATE_KEY));
    assert.ok(!/sk-|apiKey/i.test(stored));
    await state.update(BATCH_JOBS_STATE_KEY, [...(state.get<unknown[]>(BATCH_JOBS_STATE_KEY) ?? []), { id: 3 }, null, 'x']);
    assert.deepEqual(s.all().map((j) => j.id), ['b1']);
    await s.remove('b1');
    assert.deepEqual(s.all(), []);
  });
  it("an older value echoed back into the state (as the extension host's memento does) loses no job and no claim", async () => {
    const state = new MemoryState();
    const s = new BatchJobStore(state);
    await s.add(job('a', 1000));
    const echo = state.get<unknown>(BATCH_JOBS_STATE_KEY);
    await s.add(job('b', 2000));
    assert.equal(await s.claimFinish('a', { status: 'completed' }, 3000), true);
    state.data.set(BATCH_JOBS_STATE_KEY, structuredClone(echo)); // the echo of the first write arrives last
    assert.deepEqual(s.all().map((j) => j.id), ['b', 'a']);
    assert.equal(s.get('a')?.finishedAt, 3000, 'the claim holds');
    assert.equal(await s.claimFinish('a', {}, 4000), false, 'results shown and recorded once');
    assert.equal(await s.claimFinish('b', { status: 'completed' }, 5000), true, 'the job added after the echoed write can still be finished');
    await s.update('a', { error: 'x' });
    assert.deepEqual((state.get<BatchJobRecord[]>(BATCH_JOBS_STATE_KEY) ?? []).map((j) => j.id), ['b', 'a'], 'the next write stores both again');
  });

  it("another window's claim in the stored list still wins over this window's pending copy; a release here makes it pending again", async () => {
    const state = new MemoryState();
    const mine = new BatchJobStore(state);
    await mine.add(job('a', 1000));
    const other = new BatchJobStore(state);
    assert.equal(await other.claimFinish('a', { status: 'completed' }, 2000), true);
    assert.equal(await mine.claimFinish('a', {}, 3000), false);
    assert.equal(mine.get('a')?.finishedAt, 2000);
    const third = new BatchJobStore(state);
    assert.equal(third.pending().length, 0);
    await other.release('a', 'results: reset');
    assert.deepEqual(other.pending().map((j) => j.id), ['a']);
  });
});
