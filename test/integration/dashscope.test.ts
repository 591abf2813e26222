import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Catalogue, costOf, toUsd } from '../../src/core/pricing';
import { DEFAULT_TASKS } from '../../src/core/routing';
import type { Usage } from '../../src/core/types';
import { countTokens, defaultAnswer, outputTokensOf } from '../fake-provider/server';
import { fakeEnqueue, fakeRequests, fakeReset, setting, tierwise, until } from './helpers';

const KEY = 'sk-test-dashscope-integration-0123456789';
const LINES = ['The export button does nothing when the file name has a space.', 'Please add a dark theme to the settings page.', 'How do I reset my password from the mobile app?'];
const china = new Catalogue({ dashscopeRegion: 'china' });
/** A stable system prompt well past DashScope's 1,024-token explicit-cache minimum. */
const LONG_SYSTEM = Array.from({ length: 120 }, (_, i) => `Rule ${i + 1}: answer in plain words, keep it short and cite the line numbers you rely on.`).join('\n');

async function editorWith(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
  return vscode.window.showTextDocument(doc);
}

const cnyPerUsd = () => vscode.workspace.getConfiguration('tierwise').get<number>('currency.cnyPerUsd') ?? 7.2;
const usd = (model: string, usage: Usage, batch = false) => toUsd(costOf(china.get('dashscope', model)!, usage, { batch }).total, 'CNY', cnyPerUsd());
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

suite('DashScope: batch and context cache through the fake provider', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('dashscope', KEY);
    await setting('provider', 'dashscope');
    await setting('batch.pollSeconds', 1);
  });
  suiteTeardown(async () => {
    const app = await tierwise();
    await setting('batch.pollSeconds', undefined);
    await setting('tasks', undefined);
    await setting('providers.dashscope.region', undefined);
    await setting('tiers.dashscope.simple', undefined);
    await setting('provider', 'openai');
    await app.keys.clear('dashscope');
  });
  setup(fakeReset);

  test('Run Task as Batch on DashScope: upload and batch under compatible-mode, results recorded at half price', async () => {
    const app = await tierwise();
    const editor = await editorWith(`${LINES.join('\n')}\n`);
    editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
    const before = app.services.ledger().all().length;
    const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords', 'lines');
    assert.ok(id && id.startsWith('batch_'), `a batch id, got ${String(id)}`);

    const reqs = await fakeRequests();
    const upload = reqs.find((r) => r.method === 'POST' && r.path === '/compatible-mode/v1/files');
    const create = reqs.find((r) => r.method === 'POST' && r.path === '/compatible-mode/v1/batches');
    assert.ok(upload && create, 'the file went to DashScope files, then batches');
    assert.equal(upload.headers.authorization, `Bearer ${KEY}`);
    assert.match(create.body.input_file_id as string, /^file-batch-/);
    assert.equal(create.body.endpoint, '/v1/chat/completions');
    const lines = (upload.body.content as string).trim().split('\n').map((l) => JSON.parse(l) as { body: Record<string, unknown> & { model: string } });
    assert.equal(lines.length, 3);
    for (const l of lines) assert.equal(l.body.model, 'qwen3.7-flash', 'keyword extraction is simple: qwen3.7-flash');

    const recs = await until('three DashScope batch records', () => {
      const r = app.services.ledger().all().slice(before);
      return r.length >= 3 ? r : undefined;
    });
    const maxTokens = DEFAULT_TASKS.extractKeywords.maxTokens as number;
    recs.forEach((rec, i) => {
      const usage: Usage = { inputTokens: countTokens(lines[i]!.body, 'dashscope'), outputTokens: Math.min(outputTokensOf(defaultAnswer('qwen3.7-flash')), maxTokens), cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
      assert.equal(rec.provider, 'dashscope');
      assert.equal(rec.batch, true);
      assert.equal(rec.outcome, 'ok');
      assert.equal(rec.currency, 'CNY');
      assert.equal(rec.inputTokens, usage.inputTokens);
      close(rec.costUsd, usd('qwen3.7-flash', usage, true), 'batch price');
      close(rec.costUsd * 2, usd('qwen3.7-flash', usage), 'half the real-time price');
    });
    assert.ok((await fakeRequests()).some((r) => r.method === 'GET' && r.path === `/compatible-mode/v1/batches/${id}`), 'the batch was polled');
  });

  test('a model the region does not batch is refused before anything is sent', async () => {
    const app = await tierwise();
    await setting('providers.dashscope.region', 'international');
    await setting('tiers.dashscope.simple', 'qwen-long');
    try {
      const editor = await editorWith(`${LINES[0]}\n${LINES[1]}\n`);
      editor.selection = new vscode.Selection(0, 0, 2, 0);
      const before = app.services.ledger().all().length;
      const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords', 'lines');
      assert.equal(id, undefined);
      assert.deepEqual((await fakeRequests()).filter((r) => !r.path.startsWith('/__fake/')), []);
      assert.equal(app.services.ledger().all().length, before);
    } finally {
      await setting('tiers.dashscope.simple', undefined);
      await setting('providers.dashscope.region', undefined);
    }
  });

  test('explicit cache: a long stable system prompt is marked; the second request reads what the first wrote, priced as DashScope bills', async () => {
    const app = await tierwise();
    await setting('tasks', { longRules: { label: 'Long rules', tier: 'medium', system: LONG_SYSTEM, maxTokens: 200, code: false } });
    const editor = await editorWith(`${LINES[2]}\n`);
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    const before = app.services.ledger().all().length;
    for (let n = 1; n <= 2; n++) {
      await vscode.commands.executeCommand('tierwise.runTask', 'longRules');
      await until(`ledger record ${n}`, () => app.services.ledger().all().length >= before + n);
    }
    const chats = (await fakeRequests()).filter((r) => r.path === '/compatible-mode/v1/chat/completions');
    assert.equal(chats.length, 2);
    const body = chats[0]!.body as { model: string; messages: { role: string; content: unknown }[] };
    assert.equal(body.model, 'qwen-plus');
    const system = body.messages[0]!;
    assert.equal(system.role, 'system');
    assert.ok(Array.isArray(system.content), 'the stable system prompt went as a content part');
    assert.deepEqual((system.content as { cache_control?: unknown }[])[0]!.cache_control, { type: 'ephemeral' });
    // The selection (the task takes no question) ends the stable prefix: it is marked too, so the same selection
    // sent again is read from the cache whole.
    const selection = body.messages[body.messages.length - 1]!;
    assert.ok(Array.isArray(selection.content), 'the selection is marked as the end of the stable prefix');
    assert.deepEqual((selection.content as { cache_control?: unknown }[])[0]!.cache_control, { type: 'ephemeral' });

    const [write, read] = app.services.ledger().all().slice(before);
    assert.ok(write!.cacheWriteTokens > 1024, `cache written: ${write!.cacheWriteTokens}`);
    assert.equal(write!.cacheReadTokens, 0);
    assert.equal(read!.cacheReadTokens, write!.cacheWriteTokens);
    assert.equal(read!.cacheWriteTokens, 0);
    const usageOf = (r: typeof write): Usage => ({ inputTokens: r!.inputTokens, outputTokens: r!.outputTokens, cacheReadTokens: r!.cacheReadTokens, cacheWriteTokens: r!.cacheWriteTokens, reasoningTokens: 0, explicitCache: true });
    // qwen-plus (China, ≤128K): input ¥0.8/M, explicit creation ¥1.0/M (125%), explicit hit ¥0.08/M (10%), output ¥2/M
    const u1 = usageOf(write);
    close(write!.costUsd, ((u1.inputTokens - u1.cacheWriteTokens) * 0.8 + u1.cacheWriteTokens * 1.0 + u1.outputTokens * 2) / 1e6 / cnyPerUsd(), 'creation at 125%');
    assert.equal(write!.cacheSavingsUsd, 0, 'creating the cache saved nothing');
    const u2 = usageOf(read);
    close(read!.costUsd, ((u2.inputTokens - u2.cacheReadTokens) * 0.8 + u2.cacheReadTokens * 0.08 + u2.outputTokens * 2) / 1e6 / cnyPerUsd(), 'hits at 10%');
    close(read!.cacheSavingsUsd, (u2.cacheReadTokens * 0.72) / 1e6 / cnyPerUsd(), 'the saving');
  });

  test('with tierwise.cache.enabled off, the same request goes without cache marks', async () => {
    const app = await tierwise();
    await setting('tasks', { longRules: { label: 'Long rules', tier: 'medium', system: LONG_SYSTEM, maxTokens: 200, code: false } });
    await setting('cache.enabled', false);
    try {
      const editor = await editorWith(`${LINES[1]}\n`);
      editor.selection = new vscode.Selection(0, 0, 1, 0);
      const before = app.services.ledger().all().length;
      await vscode.commands.executeCommand('tierwise.runTask', 'longRules');
      const rec = await until('a ledger record', () => app.services.ledger().all()[before]);
      const body = (await fakeRequests()).find((r) => r.path === '/compatible-mode/v1/chat/completions')!.body as { model: string; messages: { content: unknown }[] };
      assert.equal(body.model, 'qwen-plus');
      assert.ok(body.messages.every((m) => typeof m.content === 'string'), 'no cache_control parts');
      assert.equal(rec.cacheWriteTokens, 0);
    } finally {
      await setting('cache.enabled', undefined);
    }
  });

  test('implicit cache: a model without an explicit cache gets no marks; reported cached tokens bill at 20%', async () => {
    const app = await tierwise();
    await fakeEnqueue({ kind: 'ok', usage: { input: 3019, cached: 2048, output: 104 } });
    const editor = await editorWith(`${LINES[0]}\n`);
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    const before = app.services.ledger().all().length;
    await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
    const rec = await until('a ledger record', () => app.services.ledger().all()[before]);
    const body = (await fakeRequests()).find((r) => r.path === '/compatible-mode/v1/chat/completions')!.body as { model: string; messages: { content: unknown }[] };
    assert.equal(body.model, 'qwen3.7-flash');
    assert.ok(body.messages.every((m) => typeof m.content === 'string'), 'no cache_control for qwen3.7-flash');
    assert.equal(rec.cacheReadTokens, 2048);
    // qwen3.7-flash (China, input up to 32K): input ¥0.2/M, implicit hit ¥0.04/M, output ¥0.8/M
    close(rec.costUsd, ((3019 - 2048) * 0.2 + 2048 * 0.04 + 104 * 0.8) / 1e6 / cnyPerUsd(), 'implicit hits at 20%');
    close(rec.cacheSavingsUsd, (2048 * 0.16) / 1e6 / cnyPerUsd(), 'the saving');
  });
});
