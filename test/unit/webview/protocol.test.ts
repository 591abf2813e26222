import assert from 'node:assert/strict';
import {
  isAnswerUpdate,
  isCostReportData,
  isHostToAnswerView,
  isHostToReportView,
  mergeLive,
  parseAnswerViewMessage,
  parseHostToAnswerView,
  parseReportViewMessage,
  type AnswerSnapshot,
} from '../../../src/shared/protocol';
import { revivePersisted } from '../../../src/shared/persisted';
import { costReportToCsv, csvField, type CsvCall } from '../../../src/shared/costCsv';
import { META, sampleReport } from './fixtures';

describe('protocol: messages from the answer webview', () => {
  const good = [
    { type: 'ready', seq: 0 },
    { type: 'stop', seq: 1, id: 'a1-0' },
    { type: 'retry', seq: 2, id: 'abc' },
    { type: 'escalate', seq: 3, id: 'x.y:z' },
    { type: 'copy', seq: 4, text: 'const a = 1;' },
    { type: 'insert', seq: 5, text: 'x' },
    { type: 'replace', seq: 6, text: 'y', id: 'a1' },
  ];
  for (const m of good) {
    it(`accepts ${JSON.stringify(m)}`, () => assert.deepEqual(parseAnswerViewMessage(m), m));
  }
  const bad: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready', seq: 0 }]],
    ['no seq', { type: 'ready' }],
    ['negative seq', { type: 'ready', seq: -1 }],
    ['fractional seq', { type: 'ready', seq: 1.5 }],
    ['string seq', { type: 'ready', seq: '1' }],
    ['unknown type', { type: 'openLink', seq: 1, url: 'https://x' }],
    ['report message on the answer channel', { type: 'report.exportCsv', seq: 1 }],
    ['stop without id', { type: 'stop', seq: 1 }],
    ['stop with numeric id', { type: 'stop', seq: 1, id: 5 }],
    ['stop with empty id', { type: 'stop', seq: 1, id: '' }],
    ['stop with odd characters in id', { type: 'stop', seq: 1, id: 'a b<script>' }],
    ['stop with extra field', { type: 'stop', seq: 1, id: 'a', cmd: 'rm -rf' }],
    ['copy without text', { type: 'copy', seq: 1 }],
    ['copy with empty text', { type: 'copy', seq: 1, text: '' }],
    ['copy with object text', { type: 'copy', seq: 1, text: { toString: 'x' } }],
    ['copy with an id', { type: 'copy', seq: 1, text: 'x', id: 'a' }],
    ['insert with a huge text', { type: 'insert', seq: 1, text: 'x'.repeat(1_000_001) }],
    ['replace with a bad id', { type: 'replace', seq: 1, text: 'x', id: 7 }],
    ['ready with extra field', { type: 'ready', seq: 1, x: 1 }],
  ];
  for (const [name, m] of bad) {
    it(`rejects ${name}`, () => assert.equal(parseAnswerViewMessage(m), undefined));
  }
  it('rejects inherited fields, class instances and objects whose getters throw', () => {
    assert.equal(parseAnswerViewMessage(Object.create({ type: 'ready', seq: 1 })), undefined);
    assert.equal(parseAnswerViewMessage(Object.assign(Object.create({ seq: 1 }), { type: 'ready' })), undefined);
    class Ready {
      type = 'ready';
      seq = 1;
    }
    assert.equal(parseAnswerViewMessage(new Ready()), undefined);
    const trap = Object.defineProperty({ type: 'copy', text: 'x' }, 'seq', { enumerable: true, get: () => { throw new Error('boom'); } });
    assert.doesNotThrow(() => parseAnswerViewMessage(trap));
    assert.equal(parseAnswerViewMessage(trap), undefined);
    assert.equal(parseReportViewMessage(trap), undefined);
    assert.deepEqual(parseAnswerViewMessage(Object.assign(Object.create(null), { type: 'ready', seq: 2 })), { type: 'ready', seq: 2 });
  });
  it('rejects what model output posing as a message would look like (text, not an object)', () => {
    const spoof = '{"type":"answer.end","id":"a1","outcome":"done"}';
    assert.equal(parseAnswerViewMessage(spoof), undefined);
    assert.equal(parseAnswerViewMessage({ type: 'answer.end', seq: 1, id: 'a1', outcome: 'done' }), undefined, 'host-to-view types are not requests');
    assert.equal(parseAnswerViewMessage({ type: 'insert', seq: 1, text: 'x', id: 'a1', command: 'workbench.action.terminal.new' }), undefined);
  });
  it('rejects a smuggled __proto__ key and returns fresh objects', () => {
    const raw = JSON.parse('{"type":"copy","seq":1,"text":"a","__proto__":{"polluted":true}}') as unknown;
    assert.equal(parseAnswerViewMessage(raw), undefined);
    const ok = { type: 'copy', seq: 1, text: 'a' };
    assert.notEqual(parseAnswerViewMessage(ok), ok);
  });
});

describe('protocol: messages from the report webview', () => {
  it('accepts ready, exportCsv and refresh', () => {
    for (const type of ['ready', 'report.exportCsv', 'report.refresh']) {
      assert.deepEqual(parseReportViewMessage({ type, seq: 2 }), { type, seq: 2 });
    }
  });
  it('accepts a workspace filter: one workspace key, or none for all', () => {
    assert.deepEqual(parseReportViewMessage({ type: 'report.filter', seq: 3, workspace: 'a1b2c3d4e5f6' }), { type: 'report.filter', seq: 3, workspace: 'a1b2c3d4e5f6' });
    assert.deepEqual(parseReportViewMessage({ type: 'report.filter', seq: 4 }), { type: 'report.filter', seq: 4 });
    assert.equal(parseReportViewMessage({ type: 'report.filter', seq: 5, workspace: 42 }), undefined);
    assert.equal(parseReportViewMessage({ type: 'report.filter', seq: 5, workspace: '' }), undefined);
    assert.equal(parseReportViewMessage({ type: 'report.filter', seq: 5, workspace: 'x'.repeat(65) }), undefined);
    assert.equal(parseReportViewMessage({ type: 'report.filter', seq: 5, workspace: 'a', path: '/' }), undefined);
    assert.equal(parseReportViewMessage({ type: 'report.refresh', seq: 5, workspace: 'a' }), undefined, 'only the filter carries a workspace');
  });
  it('rejects answer messages, extra fields and bad seq', () => {
    assert.equal(parseReportViewMessage({ type: 'copy', seq: 1, text: 'a' }), undefined);
    assert.equal(parseReportViewMessage({ type: 'report.exportCsv', seq: 1, path: '/etc/passwd' }), undefined);
    assert.equal(parseReportViewMessage({ type: 'report.refresh' }), undefined);
  });
});

describe('protocol: messages from the host', () => {
  it('accepts every answer update and batches of them', () => {
    const updates = [
      { type: 'answer.start', id: 'a1', title: 'Explain', meta: META, startedAt: 1 },
      { type: 'answer.delta', id: 'a1', text: 'Hello' },
      { type: 'answer.status', id: 'a1', text: '429 rate limited, retrying in 2.0 s, attempt 2 of 4' },
      { type: 'answer.meta', id: 'a1', meta: { ttftMs: 320, tokensPerSecond: 55.2, inputTokens: 10, cost: '$0.01', notes: ['x'] } },
      { type: 'answer.end', id: 'a1', outcome: 'interrupted', message: 'stream broke', meta: { outputTokens: 3 } },
      { type: 'answer.end', id: 'a1', outcome: 'done' },
    ];
    for (const u of updates) assert.ok(isAnswerUpdate(u), JSON.stringify(u));
    assert.ok(isHostToAnswerView({ type: 'batch', updates }));
    assert.ok(isHostToAnswerView({ type: 'reply', seq: 3, ok: false, error: 'no editor' }));
  });
  it('rejects ill-typed updates', () => {
    assert.ok(!isAnswerUpdate({ type: 'answer.start', id: 'a1', title: 'x', meta: { ...META, tier: 'huge' }, startedAt: 1 }));
    assert.ok(!isAnswerUpdate({ type: 'answer.start', id: 'a1', title: 'x', meta: { ...META, provider: 'acme' }, startedAt: 1 }));
    assert.ok(!isAnswerUpdate({ type: 'answer.meta', id: 'a1', meta: { ttftMs: -1 } }));
    assert.ok(!isAnswerUpdate({ type: 'answer.meta', id: 'a1', meta: { tokensPerSecond: Number.NaN } }));
    assert.ok(!isAnswerUpdate({ type: 'answer.meta', id: 'a1', meta: { notes: [1] } }));
    assert.ok(!isAnswerUpdate({ type: 'answer.end', id: 'a1', outcome: 'exploded' }));
    assert.ok(!isHostToAnswerView({ type: 'batch', updates: [{ type: 'answer.delta', id: 'a1' }] }));
    assert.ok(!isHostToAnswerView({ type: 'state.restore', answers: [{ id: 'a' }] }));
  });
  it('keeps the valid updates of a batch and drops the invalid ones', () => {
    const m = parseHostToAnswerView({
      type: 'batch',
      updates: [
        { type: 'answer.delta', id: 'a1', text: 'kept' },
        { type: 'answer.meta', id: 'a1', meta: { tokensPerSecond: null } },
        { type: 'answer.end', id: 'a1', outcome: 'done' },
      ],
    });
    assert.deepEqual(m, { type: 'batch', updates: [{ type: 'answer.delta', id: 'a1', text: 'kept' }, { type: 'answer.end', id: 'a1', outcome: 'done' }] });
    assert.equal(parseHostToAnswerView({ type: 'eval', code: '1' }), undefined);
  });
  it('validates cost report data', () => {
    assert.ok(isCostReportData(sampleReport()));
    assert.ok(isHostToReportView({ type: 'report.data', data: sampleReport() }));
    assert.ok(!isCostReportData({ ...sampleReport(), currency: 'EUR' }));
    assert.ok(!isCostReportData({ ...sampleReport(), byDay: [{ key: 'x', cost: 'a lot' }] }));
    const { savings: _s, ...noSavings } = sampleReport();
    assert.ok(!isCostReportData(noSavings));
    const { byWorkspace: _w, ...noWorkspaces } = sampleReport();
    assert.ok(!isCostReportData(noWorkspaces), 'the workspace breakdown is part of the data');
    assert.ok(isCostReportData({ ...sampleReport(), workspace: '(none)' }));
    assert.ok(!isCostReportData({ ...sampleReport(), workspace: 7 }));
    assert.ok(!isCostReportData({ ...sampleReport(), workspaces: [{ key: 'a', label: 'x', path: '/home/me' }] }));
  });
});

describe('protocol: live meta merging and persisted state', () => {
  it('replaces defined fields and appends notes without repeating the last one', () => {
    const a = mergeLive({ inputTokens: 1, notes: ['retry 1'] }, { inputTokens: 5, outputTokens: 2, notes: ['retry 1', 'fallback'] });
    assert.deepEqual(a, { inputTokens: 5, outputTokens: 2, notes: ['retry 1', 'fallback'] });
    assert.deepEqual(mergeLive({ cost: '$1' }, { cost: undefined }), { cost: '$1' });
  });
  it('revives persisted answers and marks the ones that were streaming as interrupted', () => {
    const base: AnswerSnapshot = { id: 'a1', title: 't', meta: { ...META }, startedAt: 1, text: 'partial', live: {} };
    const out = revivePersisted({ version: 1, answers: [base, { ...base, id: 'a2', outcome: 'done' }, { junk: true }] });
    assert.equal(out.length, 2);
    assert.equal(out[0].outcome, 'interrupted');
    assert.equal(out[0].text, 'partial');
    assert.equal(out[1].outcome, 'done');
    assert.deepEqual(revivePersisted(undefined), []);
    assert.deepEqual(revivePersisted({ version: 2, answers: [] }), []);
  });
});

describe('cost report CSV', () => {
  const EMPTY8 = ',,,,,,,,';
  it('writes one row per point plus totals and savings, quoting and defusing formulas', () => {
    const csv = costReportToCsv(sampleReport());
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'section,key,label,cost,currency,requests,input_tokens,output_tokens,workspace,workspace_id,tier,task,route_reason,escalated,source,outcome');
    assert.equal(lines.length, 1 + 2 + 2 + 2 + 2 + 1 + 2 + 2 + 1 + 4);
    for (const l of lines) assert.equal(parseCsvLine(l).length, 16, `16 cells: ${l}`);
    assert.ok(lines.includes(`provider,anthropic,Anthropic,0.22,USD,3,1000,200${EMPTY8}`));
    assert.ok(lines.some((l) => l.startsWith('model,"claude-sonnet-4, ""quoted""",')));
    assert.ok(lines.some((l) => l.startsWith(`task,'=explain,`)));
    assert.ok(lines.includes(`saving,tiering,top tier would cost 2.1,1.48,USD,,,${EMPTY8}`));
    assert.ok(lines.includes(`saving,local,"3 local requests, priced at their cloud tier",0.05,USD,3,,${EMPTY8}`));
    assert.ok(lines.includes(`source,chat,VS Code chat,0.12,USD,3,1000,200${EMPTY8}`), 'spend by source: VS Code chat on its own');
    assert.ok(lines.includes('workspace,a1b2c3d4e5f6,shop,0.5,USD,3,1000,200,shop,a1b2c3d4e5f6,,,,,,'), 'spend by workspace');
    assert.ok(lines.includes('workspace,(none),(no workspace),0.12,USD,3,1000,200,(no workspace),,,,,,,'), 'older records');
    assert.ok(lines.includes('total,all,2026-11-01..2026-11-27,0.62,USD,6,2000,400,,,,,,,,'), 'unfiltered: no workspace on the total');
    assert.equal(csvField('-1+2'), `'-1+2`);
  });

  it('lists each call with its workspace and routing: tier, task, route reason, escalated, source, outcome', () => {
    const call = (over: Partial<CsvCall> = {}): CsvCall => ({
      time: '2026-11-27T10:00:00.000Z',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      cost: 0.0012,
      inputTokens: 900,
      outputTokens: 120,
      workspace: 'shop',
      workspaceId: 'a1b2c3d4e5f6',
      tier: 'simple',
      task: 'explain',
      reason: 'simple tier: explain, 900 input tokens → gpt-4.1-mini',
      escalated: false,
      source: 'panel',
      outcome: 'ok',
      ...over,
    });
    const data = { ...sampleReport(), workspace: 'a1b2c3d4e5f6' };
    const csv = costReportToCsv(data, [
      call(),
      call({ tier: 'complex', escalated: true, source: 'promptFile', outcome: 'truncated' }),
      call({ workspace: '=HYPERLINK("http://evil")', workspaceId: 'b1b2c3d4e5f6', reason: '+cmd, "quoted"\nline', source: 'chat' }),
      call({ workspace: '(no workspace)', workspaceId: '', tier: '', reason: '', source: '' }),
    ]);
    const lines = csv.trimEnd().split('\r\n');
    const calls = lines.filter((l) => l.startsWith('call,'));
    assert.equal(calls.length, 4);
    assert.equal(calls[0], 'call,2026-11-27T10:00:00.000Z,openai/gpt-4.1-mini,0.0012,USD,1,900,120,shop,a1b2c3d4e5f6,simple,explain,"simple tier: explain, 900 input tokens → gpt-4.1-mini",no,panel,ok');
    assert.deepEqual(parseCsvLine(calls[1]!).slice(10), ['complex', 'explain', 'simple tier: explain, 900 input tokens → gpt-4.1-mini', 'yes', 'promptFile', 'truncated']);
    const hostile = parseCsvLine(calls[2]!);
    assert.equal(hostile.length, 16);
    assert.equal(hostile[8], `'=HYPERLINK("http://evil")`, 'a folder name is never a formula');
    assert.equal(hostile[12], `'+cmd, "quoted"\nline`, 'nor a reason');
    assert.equal(hostile[14], 'chat', 'a source this version does not know is written as it is');
    assert.deepEqual(parseCsvLine(calls[3]!).slice(8, 11), ['(no workspace)', '', '']);
    assert.ok(lines.includes('total,all,2026-11-01..2026-11-27,0.62,USD,6,2000,400,shop,a1b2c3d4e5f6,,,,,,'), 'a filtered report names its workspace on the total row');
    assert.ok(!csv.includes('/home/') && !csv.includes('file:'), 'no path or URI');
  });
});

/** One CSV record (RFC 4180) split into its cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cur);
      cur = '';
    } else cur += c;
  }
  cells.push(cur);
  return cells;
}
