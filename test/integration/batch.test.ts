import * as assert from 'node:assert/strict';
import { REASONING_ROOM_TOKENS } from '../../src/core/providers/reasoning';
import * as vscode from 'vscode';
import { workspaceIdOf } from '../../src/host/util/workspace';
import { Catalogue, costOf, type LedgerRecord } from '../../src/core/pricing';
import { DEFAULT_TASKS } from '../../src/core/routing';
import type { ProviderId, Usage } from '../../src/core/types';
import { countTokens, defaultAnswer, outputTokensOf } from '../fake-provider/server';
import { fakeRequests, fakeReset, setting, tierwise, until } from './helpers';

const OPENAI_KEY = 'sk-test-batch-integration-0123456789';
const ANTHROPIC_KEY = 'sk-ant-test-batch-integration-0123456789';
const LINES = ['The export button does nothing when the file name has a space.', 'Please add a dark theme to the settings page.', 'How do I reset my password from the mobile app?'];
const catalogue = new Catalogue();

async function editorWith(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
  return vscode.window.showTextDocument(doc);
}

/** The usage the fake reports for one request body, and what the ledger must charge for it at batch prices. */
function expected(provider: ProviderId, body: Record<string, unknown>, maxTokens: number): { usage: Usage; batchUsd: number; interactiveUsd: number } {
  const protocol = provider === 'anthropic' ? 'anthropic' : 'openai';
  const model = body.model as string;
  const usage: Usage = { inputTokens: countTokens(body, protocol), outputTokens: Math.min(outputTokensOf(defaultAnswer(model)), maxTokens), cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const entry = catalogue.get(provider, model);
  assert.ok(entry, `${provider}/${model} has a price`);
  return { usage, batchUsd: costOf(entry, usage, { batch: true }).total, interactiveUsd: costOf(entry, usage).total };
}

function assertRecord(rec: LedgerRecord, provider: ProviderId, exp: ReturnType<typeof expected>): void {
  assert.equal(rec.batch, true);
  assert.equal(rec.provider, provider);
  assert.equal(rec.task, 'extractKeywords');
  assert.equal(rec.tier, 'simple');
  assert.equal(rec.outcome, 'ok');
  assert.equal(rec.inputTokens, exp.usage.inputTokens);
  assert.equal(rec.outputTokens, exp.usage.outputTokens);
  assert.ok(Math.abs(rec.costUsd - exp.batchUsd) < 1e-12, `cost ${rec.costUsd} != batch price ${exp.batchUsd}`);
  assert.ok(Math.abs(rec.costUsd * 2 - exp.interactiveUsd) < 1e-12, 'the batch price is half the interactive price');
}

suite('Batch jobs through the fake provider', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', OPENAI_KEY);
    await setting('provider', 'openai');
    await setting('batch.pollSeconds', 1);
  });
  suiteTeardown(async () => {
    await setting('batch.pollSeconds', undefined);
    await setting('provider', 'openai');
  });
  setup(fakeReset);

  test('three lines run as one OpenAI batch: one upload with three requests, three ledger records at batch prices', async () => {
    const app = await tierwise();
    const editor = await editorWith(`${LINES[0]}\n\n${LINES[1]}\n   \n${LINES[2]}\n`);
    editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
    const before = app.services.ledger().all().length;
    const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords', 'lines');
    assert.ok(id && id.startsWith('batch_'), `a batch id, got ${String(id)}`);

    const reqs = await fakeRequests();
    const upload = reqs.find((r) => r.method === 'POST' && r.path === '/v1/files');
    const create = reqs.find((r) => r.method === 'POST' && r.path === '/v1/batches');
    assert.ok(upload, 'the JSONL file was uploaded');
    assert.ok(create, 'the batch was created');
    assert.equal(upload.body.purpose, 'batch');
    const lines = (upload.body.content as string).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { custom_id: string; method: string; url: string; body: { model: string; max_tokens?: number; max_completion_tokens?: number; messages: { role: string; content: string }[] } });
    assert.equal(lines.length, 3);
    const maxTokens = DEFAULT_TASKS.extractKeywords.maxTokens as number;
    lines.forEach((l, i) => {
      assert.equal(l.method, 'POST');
      assert.equal(l.url, '/v1/chat/completions');
      assert.equal(l.body.model, 'gpt-6-luna', 'keyword extraction is a simple-tier task');
      assert.equal(l.body.max_tokens ?? l.body.max_completion_tokens! - REASONING_ROOM_TOKENS, maxTokens);
      assert.equal(l.body.messages[0]!.content, DEFAULT_TASKS.extractKeywords.system);
      assert.ok(l.body.messages[l.body.messages.length - 1]!.content.includes(LINES[i]!), `request ${i + 1} carries line ${i + 1}`);
    });
    assert.equal(new Set(lines.map((l) => l.custom_id)).size, 3);
    assert.equal(create.body.input_file_id !== undefined, true);
    assert.equal(create.body.endpoint, '/v1/chat/completions');
    assert.equal(create.body.completion_window, '24h');
    assert.equal(create.headers.authorization, `Bearer ${OPENAI_KEY}`);
    assert.ok(!JSON.stringify(reqs.map((r) => r.body)).includes(OPENAI_KEY), 'the key is never in a body');

    const recs = await until('three batch ledger records', () => {
      const r = app.services.ledger().all().slice(before);
      return r.length >= 3 ? r : undefined;
    });
    assert.equal(recs.length, 3);
    recs.forEach((rec, i) => assertRecord(rec, 'openai', expected('openai', lines[i]!.body, maxTokens)));
    const polled = (await fakeRequests()).filter((r) => r.method === 'GET' && r.path === `/v1/batches/${id}`);
    assert.ok(polled.length >= 1, 'the batch was polled');

    const jobs = app.context.globalState.get<{ id: string; finishedAt?: number; status: string; items: { label: string }[] }[]>('tierwise.batch.jobs') ?? [];
    const job = jobs.find((j) => j.id === id);
    assert.ok(job, 'the job is kept in global state');
    assert.equal(job.status, 'completed');
    assert.ok(job.finishedAt, 'the job is marked finished');
    assert.equal(job.items.length, 3);
    assert.ok(!JSON.stringify(jobs).includes(OPENAI_KEY), 'no key in global state');
  });

  test('Retry on a batch answer submits the batch again; Escalate submits it one tier up', async function () {
    // Three batches one after the other, each polled until done: room for a slow poll on a busy machine.
    this.timeout(180_000);
    const app = await tierwise();
    const editor = await editorWith(`${LINES[0]}\n${LINES[1]}\n`);
    editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
    const before = app.services.ledger().all().length;
    const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords', 'lines');
    assert.ok(id);
    await until('two batch ledger records', () => app.services.ledger().all().length >= before + 2, 60_000);
    const answer = await until('the batch answer', () => {
      const a = app.panel.latest();
      return a && a.title.startsWith('Batch:') && a.outcome ? a : undefined;
    });
    assert.ok(app.batches.owns(answer.id), 'the batch answer is known to the batch service');
    const uploads = async () => (await fakeRequests()).filter((r) => r.method === 'POST' && r.path === '/v1/files');
    const modelsOf = (u: { body: Record<string, unknown> }) => (u.body.content as string).split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { body: { model: string } }).body.model);
    const seen = (await uploads()).length;
    const again = await app.batches.retry(answer.id);
    assert.ok(again && again !== id, `a new batch, got ${String(again)}`);
    const retried = (await uploads())[seen]!;
    assert.deepEqual(modelsOf(retried), ['gpt-6-luna', 'gpt-6-luna'], 'every item was answered, so the whole batch runs again');
    const up = await app.batches.escalate(answer.id);
    assert.ok(up && up !== again);
    const escalated = (await uploads())[seen + 1]!;
    assert.deepEqual(modelsOf(escalated), ['gpt-6.1-sol', 'gpt-6.1-sol'], 'one tier up: medium');
    await until('the re-run batches to be recorded', () => app.services.ledger().all().length >= before + 6, 120_000);
    // Each result is recorded as a batch call of the workspace it was submitted from; the escalated job says so.
    const folder = vscode.workspace.workspaceFolders![0]!;
    const recs = app.services.ledger().all().slice(before);
    assert.ok(recs.every((r) => r.source === 'batch' && r.workspace === workspaceIdOf(folder.uri.toString()) && r.workspaceName === folder.name), JSON.stringify(recs.map((r) => [r.source, r.workspace])));
    assert.equal(recs.filter((r) => r.escalatedFrom === 'simple').length, 2, 'the escalated job');
    assert.ok(recs.every((r) => r.reason?.includes('at batch prices')), 'the job reason');
  });

  test('several selections on Anthropic: one Message Batch, one item per selection', async () => {
    const app = await tierwise();
    await app.keys.set('anthropic', ANTHROPIC_KEY);
    await setting('provider', 'anthropic');
    try {
      const editor = await editorWith(`${LINES[0]}\n${LINES[1]}\n`);
      editor.selections = [new vscode.Selection(0, 0, 0, LINES[0]!.length), new vscode.Selection(1, 0, 1, LINES[1]!.length)];
      const before = app.services.ledger().all().length;
      const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords');
      assert.ok(id && id.startsWith('msgbatch_'), `a message batch id, got ${String(id)}`);
      const create = (await fakeRequests()).find((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
      assert.ok(create);
      assert.equal(create.headers['x-api-key'], ANTHROPIC_KEY);
      const list = (create.body as { requests: { custom_id: string; params: { model: string; max_tokens: number } & Record<string, unknown> }[] }).requests;
      assert.equal(list.length, 2);
      const maxTokens = DEFAULT_TASKS.extractKeywords.maxTokens as number;
      for (const r of list) {
        assert.equal(r.params.model, 'claude-haiku-4-5');
        assert.equal(r.params.max_tokens, maxTokens);
      }
      const recs = await until('two batch ledger records', () => {
        const r = app.services.ledger().all().slice(before);
        return r.length >= 2 ? r : undefined;
      });
      recs.forEach((rec, i) => assertRecord(rec, 'anthropic', expected('anthropic', list[i]!.params, maxTokens)));
    } finally {
      await setting('provider', 'openai');
      await app.keys.clear('anthropic');
    }
  });

  test('a job left pending in global state (as after a window reload) is polled again and recorded once', async () => {
    const app = await tierwise();
    const baseUrl = vscode.workspace.getConfiguration('tierwise').get<string>('providers.openai.baseUrl')!;
    const maxTokens = DEFAULT_TASKS.extractKeywords.maxTokens as number;
    const body = (line: string) => ({ model: 'gpt-4o-mini', max_tokens: maxTokens, messages: [{ role: 'system', content: DEFAULT_TASKS.extractKeywords.system }, { role: 'user', content: line }] });
    /** A job submitted earlier (by the window before the reload): straight to the fake's batch API, then into global state as pending. */
    const leftPending = async (line: string): Promise<string> => {
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob([JSON.stringify({ custom_id: 'item-1', method: 'POST', url: '/v1/chat/completions', body: body(line) }) + '\n']), 'in.jsonl');
      const file = (await (await fetch(`${baseUrl}/files`, { method: 'POST', body: form })).json()) as { id: string };
      const batch = (await (await fetch(`${baseUrl}/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }) })).json()) as { id: string };
      const jobs = app.context.globalState.get<unknown[]>('tierwise.batch.jobs') ?? [];
      const job = { id: batch.id, provider: 'openai', baseUrl, model: 'gpt-4o-mini', tier: 'simple', task: 'extractKeywords', taskLabel: 'Extract keywords', reason: 'resumed', items: [{ customId: 'item-1', label: 'password' }], submittedAt: Date.now(), status: 'inProgress', rawStatus: 'in_progress' };
      await app.context.globalState.update('tierwise.batch.jobs', [job, ...jobs]);
      return batch.id;
    };
    const recordedSince = (n: number) => () => {
      const r = app.services.ledger().all().slice(n);
      return r.length ? r : undefined;
    };
    const first = await leftPending(LINES[2]!);
    const before = app.services.ledger().all().length;

    // Show Batch Jobs polls the pending jobs nobody in this window is following, as activation does after a reload.
    void vscode.commands.executeCommand('tierwise.showBatchJobs');
    const recs = await until('the resumed job recorded', recordedSince(before));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(recs.length, 1);
    assertRecord(recs[0]!, 'openai', expected('openai', body(LINES[2]!), maxTokens));
    const stored = (app.context.globalState.get<{ id: string; finishedAt?: number }[]>('tierwise.batch.jobs') ?? []).find((j) => j.id === first);
    assert.ok(stored?.finishedAt, 'the resumed job is marked finished');

    // Asking again does not poll or record it again. Proof without waiting a fixed time: a second job left pending
    // is polled by the same pass over the jobs; once it is recorded, a poll of the first would have been sent too.
    const polls = async (id: string) => (await fakeRequests()).filter((r) => r.method === 'GET' && r.path.endsWith(`/batches/${id}`)).length;
    const firstPolls = await polls(first);
    const second = await leftPending(LINES[1]!);
    const beforeSecond = app.services.ledger().all().length;
    void vscode.commands.executeCommand('tierwise.showBatchJobs');
    const again = await until('the second resumed job recorded', recordedSince(beforeSecond));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok((await polls(second)) > 0, 'the second job was polled');
    assert.equal(await polls(first), firstPolls, 'the finished job was not polled again');
    assert.equal(again.length, 1);
    assertRecord(again[0]!, 'openai', expected('openai', body(LINES[1]!), maxTokens));
    assert.equal(app.services.ledger().all().length, before + 2, 'one record per job');
  });
});
