import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, appendFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Catalogue,
  Ledger,
  NO_WORKSPACE,
  groupBy,
  inWorkspace,
  localDay,
  makeRecord,
  nodeLedgerFs,
  parseLedger,
  scanLedger,
  spend,
  topTierComparison,
  wasEscalated,
  workspaceLabels,
  type LedgerFs,
  type LedgerRecord,
} from '../../../src/core/pricing';
import type { Usage } from '../../../src/core/types';
import { waitFor } from '../../helpers/wait';

/** In-memory file system that can tear the next write and "crash". */
class MemFs implements LedgerFs {
  files = new Map<string, string>();
  tearNextAt: number | undefined;
  async append(p: string, data: string): Promise<void> {
    if (this.tearNextAt !== undefined) {
      const n = this.tearNextAt;
      this.tearNextAt = undefined;
      this.files.set(p, (this.files.get(p) ?? '') + data.slice(0, n));
      throw new Error('killed mid-write');
    }
    this.files.set(p, (this.files.get(p) ?? '') + data);
  }
  async read(p: string): Promise<string | undefined> {
    return this.files.get(p);
  }
}

/** MemFs that can also repair (write, rename). */
class RepairingFs extends MemFs {
  async write(p: string, data: string): Promise<void> {
    this.files.set(p, data);
  }
  async rename(from: string, to: string): Promise<void> {
    const v = this.files.get(from);
    if (v === undefined) throw new Error(`ENOENT ${from}`);
    this.files.delete(from);
    this.files.set(to, v);
  }
}

const usage = (i: number, o: number, read = 0, write = 0): Usage => ({ inputTokens: i, outputTokens: o, cacheReadTokens: read, cacheWriteTokens: write, reasoningTokens: 0 });
const cat = new Catalogue();
const day = (s: string) => new Date(s).getTime();

function rec(over: Partial<Parameters<typeof makeRecord>[1]> = {}): LedgerRecord {
  return makeRecord(cat, { time: day('2026-11-27T10:00:00'), provider: 'openai', model: 'gpt-4o-mini', usage: usage(1000, 500), latencyMs: 800, retries: 0, outcome: 'ok', ...over });
}

describe('pricing: ledger durability', () => {
  it('a torn last line is skipped, nothing earlier is lost and the next append starts on a fresh line', async () => {
    const fs = new MemFs();
    const a = new Ledger(fs, '/l.jsonl');
    await a.append(rec({ task: 'one' }));
    await a.append(rec({ task: 'two' }));
    fs.tearNextAt = 37;
    await assert.rejects(a.append(rec({ task: 'torn' })));
    assert.ok(!(fs.files.get('/l.jsonl') as string).endsWith('\n'));
    // "restart": a new ledger object on the same file
    const b = new Ledger(fs, '/l.jsonl');
    assert.deepEqual((await b.readAll()).map((r) => r.task), ['one', 'two']);
    await b.append(rec({ task: 'three' }));
    await b.append(rec({ task: 'four' }));
    assert.deepEqual((await b.readAll()).map((r) => r.task), ['one', 'two', 'three', 'four']);
    // the same ledger object recovers too after a failed write
    fs.tearNextAt = 5;
    await assert.rejects(b.append(rec({ task: 'torn2' })));
    await b.append(rec({ task: 'five' }));
    assert.deepEqual((await b.readAll()).map((r) => r.task), ['one', 'two', 'three', 'four', 'five']);
  });

  it('serialises concurrent appends in call order', async () => {
    const fs = new MemFs();
    const l = new Ledger(fs, '/c.jsonl');
    await Promise.all([1, 2, 3, 4, 5].map((i) => l.append(rec({ task: `t${i}` }))));
    assert.deepEqual((await l.readAll()).map((r) => r.task), ['t1', 't2', 't3', 't4', 't5']);
  });

  it('skips foreign and broken lines', () => {
    const good = JSON.stringify(rec());
    assert.equal(parseLedger(`${good}\n{"v":1,"tim\n\nnot json\n{"other":true}\n${good}\n${good.slice(0, 20)}`).length, 2);
  });

  it('reads records written before workspaces and sources, and records that carry them', () => {
    // A line as Tierwise wrote it before this field set existed.
    const old = '{"v":1,"time":1764237600000,"provider":"openai","model":"gpt-4o-mini","inputTokens":1000,"outputTokens":500,"cacheReadTokens":0,"cacheWriteTokens":0,"reasoningTokens":0,"cost":0.00045,"currency":"USD","costUsd":0.00045,"cacheSavingsUsd":0,"latencyMs":800,"retries":0,"outcome":"ok"}';
    const now = JSON.stringify(rec({ workspace: 'a1b2c3d4e5f6', workspaceName: 'shop', source: 'promptFile', reason: 'simple tier: classification', escalatedFrom: 'simple' }));
    const [a, b] = parseLedger(`${old}\n${now}\n`) as [LedgerRecord, LedgerRecord];
    assert.equal(a.workspace, undefined);
    assert.equal(a.source, undefined);
    assert.equal(wasEscalated(a), false);
    assert.equal(b.workspace, 'a1b2c3d4e5f6');
    assert.equal(b.workspaceName, 'shop');
    assert.equal(b.source, 'promptFile');
    assert.equal(b.reason, 'simple tier: classification');
    assert.equal(wasEscalated(b), true);
    assert.equal(parseLedger(JSON.stringify(rec({ source: 'chat' })))[0]?.source, 'chat', 'a source this version does not know is kept');
  });

  it('a record whose new fields are damaged is kept without them', () => {
    const good = rec();
    const line = (extra: Record<string, unknown>) => JSON.stringify({ ...good, ...extra });
    const text = [
      line({ workspace: 42, workspaceName: 'x' }),
      line({ workspace: '../../etc', workspaceName: 'y' }),
      line({ workspace: 'a1b2c3d4e5f6', workspaceName: { evil: true } }),
      line({ workspaceName: 'orphan' }),
      line({ source: '=cmd|calc', reason: ['x'], escalatedFrom: 'huge' }),
      line({ workspace: 'a1b2c3d4e5f6', workspaceName: 'n'.repeat(5000), reason: 'r'.repeat(5000) }),
    ].join('\n');
    const { records, damaged } = scanLedger(text);
    assert.equal(damaged, 0, 'nothing counted as damaged');
    assert.equal(records.length, 6);
    const [r0, r1, r2, r3, r4, r5] = records as [LedgerRecord, LedgerRecord, LedgerRecord, LedgerRecord, LedgerRecord, LedgerRecord];
    assert.equal(r0.workspace, undefined);
    assert.equal(r0.workspaceName, undefined, 'a name without a valid id is dropped with it');
    assert.equal(r1.workspace, undefined);
    assert.equal(r2.workspace, 'a1b2c3d4e5f6');
    assert.equal(r2.workspaceName, undefined);
    assert.equal(r3.workspaceName, undefined);
    assert.equal(r4.source, undefined);
    assert.equal(r4.reason, undefined);
    assert.equal(r4.escalatedFrom, undefined);
    assert.equal(r4.costUsd, good.costUsd, 'the cost is kept');
    assert.equal(r5.workspaceName?.length, 200);
    assert.equal(r5.reason?.length, 500);
  });

  it('survives a writer process killed mid-append, again and again', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'tierwise-ledger-'));
    const file = path.join(dir, 'sub', 'ledger.jsonl');
    const writer = path.join(__dirname, 'fixtures', 'ledger-writer.ts');
    try {
      let before: LedgerRecord[] = [];
      for (let run = 0; run < 5; run++) {
        const child = spawn(process.execPath, ['--require', 'tsx/cjs', writer, file, String(run)], { stdio: ['ignore', 'pipe', 'inherit'] });
        await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        // Kill it at a different point each run: once it has appended about run + 1 more records (~20 kB each).
        const grown = statSync(file).size + (run + 1) * 20_000;
        await waitFor(() => statSync(file).size >= grown, 30_000);
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        const after = parseLedger(readFileSync(file, 'utf8'));
        // every earlier record is still there, in order
        assert.deepEqual(after.slice(0, before.length), before);
        const mine = after.filter((r) => r.session === `run-${run}`);
        assert.ok(mine.length >= 1, `run ${run} wrote ${mine.length}`);
        assert.deepEqual(
          mine.map((r) => r.inputTokens),
          mine.map((_, i) => i),
          'no record of this run is missing in the middle',
        );
        before = after;
      }
      // simulate a torn tail as a kill inside write() would leave it, then append through a fresh ledger
      appendFileSync(file, '{"v":1,"time":17,"provider":"open');
      const l = new Ledger(await nodeLedgerFs(), file);
      await l.append(rec({ task: 'after-crash' }));
      const final = await l.readAll();
      assert.deepEqual(final.slice(0, before.length), before);
      assert.equal(final.at(-1)?.task, 'after-crash');
      assert.equal(final.length, before.length + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pricing: a corrupt ledger is recovered on opening', () => {
  const now = Date.UTC(2026, 11, 1, 7, 50, 0);

  it('a garbage line in the middle and a truncated last line: every readable record kept, the file moved aside', async () => {
    const fs = new RepairingFs();
    const good = (task: string) => JSON.stringify(rec({ task }));
    const damaged = `${good('one')}\n\u0000\u0001garbage{{\n${good('two')}\n{"other":true}\n${good('three')}\n${good('four').slice(0, 40)}`;
    fs.files.set('/g/ledger.jsonl', damaged);
    const l = new Ledger(fs, '/g/ledger.jsonl');
    const { records, recovery } = await l.open(now);
    assert.deepEqual(records.map((r) => r.task), ['one', 'two', 'three']);
    assert.deepEqual(recovery, { damagedLines: 3, keptRecords: 3, movedTo: '/g/ledger.jsonl.corrupt-2026-12-01T07-50-00Z' });
    assert.equal(fs.files.get('/g/ledger.jsonl.corrupt-2026-12-01T07-50-00Z'), damaged, 'the damaged file is kept as it was');
    assert.equal(fs.files.get('/g/ledger.jsonl'), [good('one'), good('two'), good('three')].join('\n') + '\n');
    assert.deepEqual([...fs.files.keys()].sort(), ['/g/ledger.jsonl', '/g/ledger.jsonl.corrupt-2026-12-01T07-50-00Z'], 'no temporary file is left');
    // appending goes on at once, and reopening finds nothing to repair (the user is told once)
    await l.append(rec({ task: 'five' }));
    const again = await new Ledger(fs, '/g/ledger.jsonl').open(now + 1000);
    assert.equal(again.recovery, undefined);
    assert.deepEqual(again.records.map((r) => r.task), ['one', 'two', 'three', 'five']);
  });

  it('a clean ledger, or none, is left alone', async () => {
    const fs = new RepairingFs();
    const l = new Ledger(fs, '/c/ledger.jsonl');
    assert.deepEqual(await l.open(now), { records: [] });
    await l.append(rec({ task: 'a' }));
    const before = fs.files.get('/c/ledger.jsonl');
    const { records, recovery } = await new Ledger(fs, '/c/ledger.jsonl').open(now);
    assert.equal(recovery, undefined);
    assert.equal(records.length, 1);
    assert.equal(fs.files.get('/c/ledger.jsonl'), before);
    assert.equal(fs.files.size, 1);
  });

  it('the host killed during a write: the torn record is dropped, the others kept, the next append is whole', async () => {
    const fs = new RepairingFs();
    const a = new Ledger(fs, '/k/ledger.jsonl');
    await a.append(rec({ task: 'one' }));
    fs.tearNextAt = 25;
    await assert.rejects(a.append(rec({ task: 'torn' })));
    const b = new Ledger(fs, '/k/ledger.jsonl');
    const { records, recovery } = await b.open(now);
    assert.deepEqual(records.map((r) => r.task), ['one']);
    assert.equal(recovery?.damagedLines, 1);
    await b.append(rec({ task: 'two' }));
    assert.deepEqual((await b.readAll()).map((r) => r.task), ['one', 'two']);
  });

  it('without write/rename the records are still read and the damage reported', async () => {
    const fs = new MemFs();
    fs.files.set('/r/ledger.jsonl', `${JSON.stringify(rec({ task: 'x' }))}\nnot json\n`);
    const { records, recovery } = await new Ledger(fs, '/r/ledger.jsonl').open(now);
    assert.equal(records.length, 1);
    assert.deepEqual(recovery, { damagedLines: 1, keptRecords: 1 });
  });

  it('on the real file system', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tierwise-ledger-rec-'));
    try {
      const file = path.join(dir, 'ledger.jsonl');
      appendFileSync(file, `${JSON.stringify(rec({ task: 'a' }))}\n@@garbage@@\n${JSON.stringify(rec({ task: 'b' }))}\n{"v":1,"ti`);
      const l = new Ledger(await nodeLedgerFs(), file);
      const { records, recovery } = await l.open(now);
      assert.deepEqual(records.map((r) => r.task), ['a', 'b']);
      assert.equal(recovery?.movedTo, `${file}.corrupt-2026-12-01T07-50-00Z`);
      assert.match(readFileSync(recovery!.movedTo!, 'utf8'), /@@garbage@@/);
      assert.deepEqual(parseLedger(readFileSync(file, 'utf8')).map((r) => r.task), ['a', 'b']);
      assert.equal(scanLedger(readFileSync(file, 'utf8')).damaged, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pricing: ledger queries', () => {
  const records: LedgerRecord[] = [
    rec({ time: day('2026-11-27T09:00:00'), session: 's1', tier: 'simple', task: 'explain', model: 'gpt-4o-mini' }),
    rec({ time: day('2026-11-27T11:00:00'), session: 's1', tier: 'complex', task: 'refactor', model: 'o3', usage: usage(10_000, 2_000) }),
    rec({ time: day('2026-11-26T11:00:00'), session: 's0', tier: 'medium', task: 'explain', provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', usage: usage(2000, 100, 1000, 0) }),
    rec({ time: day('2026-11-02T11:00:00'), session: 's0', tier: 'medium', task: 'review', provider: 'dashscope', model: 'qwen-plus', usage: usage(100_000, 10_000) }),
    rec({ time: day('2026-10-31T11:00:00'), session: 's0', tier: 'simple', task: 'explain', outcome: 'cancelled' }),
  ];

  it('prices records at record time, in USD too (CNY converted)', () => {
    const [a, b, c, d] = records as [LedgerRecord, LedgerRecord, LedgerRecord, LedgerRecord];
    assert.ok(Math.abs(a.costUsd - (1000 * 0.15 + 500 * 0.6) / 1e6) < 1e-12);
    assert.ok(Math.abs(b.costUsd - (10_000 * 2 + 2_000 * 8) / 1e6) < 1e-12);
    assert.ok(Math.abs(c.cacheSavingsUsd - (1000 * 2.7) / 1e6) < 1e-12);
    assert.equal(d.currency, 'CNY');
    assert.ok(Math.abs(d.costUsd - (100_000 * 0.8 + 10_000 * 2) / 1e6 / 7.2) < 1e-12);
    const unknown = rec({ model: 'mystery' });
    assert.equal(unknown.costUsd, 0);
  });

  it('spend today / this month / this session', () => {
    const s = spend(records, day('2026-11-27T18:00:00'), 's1');
    const [a, b, c, d] = records as [LedgerRecord, LedgerRecord, LedgerRecord, LedgerRecord];
    assert.ok(Math.abs(s.todayUsd - (a.costUsd + b.costUsd)) < 1e-12);
    assert.ok(Math.abs(s.monthUsd - (a.costUsd + b.costUsd + c.costUsd + d.costUsd)) < 1e-12);
    assert.ok(Math.abs(s.sessionUsd - (a.costUsd + b.costUsd)) < 1e-12);
    assert.equal(s.requestsToday, 2);
  });

  it('groups by day, provider, model, tier and task', () => {
    assert.deepEqual(
      groupBy(records, 'day').map((g) => [g.key, g.requests]),
      [
        ['2026-11-27', 2],
        ['2026-11-26', 1],
        ['2026-11-02', 1],
        ['2026-10-31', 1],
      ],
    );
    assert.deepEqual(groupBy(records, 'provider').map((g) => g.key).sort(), ['anthropic', 'dashscope', 'openai']);
    assert.equal(groupBy(records, 'task').find((g) => g.key === 'explain')?.requests, 3);
    assert.equal(groupBy(records, 'tier').find((g) => g.key === 'medium')?.requests, 2);
    assert.equal(groupBy(records, 'model')[0]?.key, 'openai/o3', 'dearest first');
    assert.equal(groupBy(records, 'outcome').find((g) => g.key === 'cancelled')?.requests, 1);
    assert.equal(groupBy(records, 'model').find((g) => g.key === 'openai/gpt-4o-mini')?.latencyMsAvg, 800);
    assert.equal(localDay(day('2026-01-05T00:30:00')), '2026-01-05');
  });

  it("spend by workspace: this workspace's today and month, groups, labels and the filter", () => {
    const at = (t: string, usd: number, ws?: [string, string]) => ({ ...rec({ time: day(t), ...(ws ? { workspace: ws[0], workspaceName: ws[1] } : {}) }), costUsd: usd });
    const shop: [string, string] = ['aaaaaaaaaaaa', 'shop'];
    const blog: [string, string] = ['bbbbbbbbbbbb', 'blog'];
    const blog2: [string, string] = ['cccccccccccc', 'blog'];
    const rs = [at('2026-11-27T09:00:00', 1, shop), at('2026-11-27T10:00:00', 2, blog), at('2026-11-03T10:00:00', 4, shop), at('2026-10-30T10:00:00', 8, shop), at('2026-11-27T11:00:00', 16), at('2026-11-20T11:00:00', 32, blog2)];
    const s = spend(rs, day('2026-11-27T18:00:00'), undefined, undefined, shop[0]);
    assert.equal(s.todayUsd, 19);
    assert.equal(s.workspaceTodayUsd, 1);
    assert.equal(s.workspaceMonthUsd, 5, 'October is not this month');
    assert.equal(spend(rs, day('2026-11-27T18:00:00')).workspaceMonthUsd, 0, 'no workspace asked: 0');
    assert.deepEqual(
      groupBy(rs, 'workspace').map((g) => [g.key, g.costUsd, g.requests]),
      [
        ['cccccccccccc', 32, 1],
        [NO_WORKSPACE, 16, 1],
        ['aaaaaaaaaaaa', 13, 3],
        ['bbbbbbbbbbbb', 2, 1],
      ],
    );
    const labels = workspaceLabels(rs);
    assert.equal(labels.get('aaaaaaaaaaaa'), 'shop');
    assert.equal(labels.get(NO_WORKSPACE), '(no workspace)', 'older records');
    assert.equal(labels.get('bbbbbbbbbbbb'), 'blog · bbbbbb', 'two folders of one name are told apart');
    assert.equal(labels.get('cccccccccccc'), 'blog · cccccc');
    assert.equal(inWorkspace(rs, shop[0]).length, 3);
    assert.equal(inWorkspace(rs, NO_WORKSPACE).length, 1);
    assert.equal(inWorkspace(rs, undefined).length, 6);
  });

  it('what it would have cost on the top tier', () => {
    const t = topTierComparison(records, cat);
    // default top model: the provider's first complex-tier catalogue entry
    const top = cat.defaultFor('openai', 'complex')!;
    const a = records[0] as LedgerRecord;
    const expectA = (1000 * top.inputPerM + 500 * top.outputPerM) / 1e6;
    const only = topTierComparison([a], cat);
    assert.ok(Math.abs(only.topTierUsd - expectA) < 1e-12);
    assert.ok(t.topTierUsd > t.actualUsd);
    assert.ok(Math.abs(t.savedUsd - (t.topTierUsd - t.actualUsd)) < 1e-12);
    const opus = topTierComparison([records[2] as LedgerRecord], cat, undefined, () => 'claude-3-opus');
    assert.ok(Math.abs(opus.topTierUsd - (1000 * 15 + 1000 * 1.5 + 100 * 75) / 1e6) < 1e-12);
  });

  it('compares each record with the top tier of its own provider and keeps a loss negative', () => {
    const tops: Record<string, string> = { openai: 'gpt-6.2-astra', anthropic: 'claude-opus-5-5' };
    const cheap = rec({ provider: 'openai', model: 'gpt-6-luna', usage: usage(10_000, 1000) });
    const sonnet = rec({ provider: 'anthropic', model: 'claude-sonnet-5-5', usage: usage(10_000, 1000) });
    const t = topTierComparison([cheap, sonnet], cat, undefined, (p) => tops[p]);
    // gpt-6.2-astra $8/$40, claude-opus-5-5 $4/$20 per M.
    const expectTop = (10_000 * 8 + 1000 * 40) / 1e6 + (10_000 * 4 + 1000 * 20) / 1e6;
    assert.ok(Math.abs(t.topTierUsd - expectTop) < 1e-12, `${t.topTierUsd}`);
    assert.ok(t.savedUsd > 0);
    // A request sent to a model dearer than its provider's top tier: the saving is negative, not hidden as 0.
    const dear = rec({ provider: 'anthropic', model: 'claude-fable-5-1', usage: usage(10_000, 1000) });
    const loss = topTierComparison([dear], cat, undefined, (p) => tops[p]);
    assert.ok(loss.savedUsd < 0);
    assert.ok(Math.abs(loss.savedUsd - ((10_000 * 4 + 1000 * 20) - (10_000 * 10 + 1000 * 50)) / 1e6) < 1e-12);
  });
});
