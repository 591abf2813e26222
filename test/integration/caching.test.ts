import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AnswerSnapshot } from '../../src/shared/protocol';
import { fakeRequests, fakeReset, setting, tierwise, until, answerAfter } from './helpers';

interface Block {
  type: string;
  text: string;
  cache_control?: { type: string };
}
interface AnthropicBody {
  model: string;
  system?: string | Block[];
  messages: { role: string; content: string | Block[] }[];
}

/** About 4,300 tokens of TypeScript (17,000+ characters), the size the issue was reported with. */
function bigSource(): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < 17_400; i++) {
    lines.push(`export function step${i}(input: number[]): number {`, `  return input.reduce((a, b) => a + b * ${i}, ${i});`, '}', '');
  }
  return lines.join('\n');
}

async function openBig(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content: bigSource(), language: 'typescript' });
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(doc.getText().length));
  return editor;
}

/** Runs a command and waits for its answer to end. */
async function runAndWait(command: string, arg?: string): Promise<AnswerSnapshot> {
  const app = await tierwise();
  const before = app.panel.latest()?.id;
  await vscode.commands.executeCommand(command, arg);
  return answerAfter(before, `the answer of ${command}`);
}

async function messageBodies(): Promise<AnthropicBody[]> {
  return (await fakeRequests()).filter((r) => r.path === '/v1/messages').map((r) => r.body as AnthropicBody);
}

/** Which parts carry cache_control: "system", or "m<i>" for message i. */
function marks(body: AnthropicBody): string[] {
  const out: string[] = [];
  if (Array.isArray(body.system) && body.system.some((b) => b.cache_control)) out.push('system');
  body.messages.forEach((m, i) => {
    if (Array.isArray(m.content) && m.content.some((b) => b.cache_control)) out.push(`m${i}`);
  });
  return out;
}

suite('Prompt caching on editor requests (Anthropic)', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('anthropic', 'sk-ant-test-caching-0123456789abcdef');
    await setting('provider', 'anthropic');
  });
  suiteTeardown(async () => {
    await setting('provider', undefined);
    await setting('cache.enabled', undefined);
  });
  setup(fakeReset);

  test('two questions about the same selection: the first writes the prefix to the cache, the second reads it', async () => {
    const app = await tierwise();
    await openBig();
    const n = app.services.ledger().all().length;
    const first = await runAndWait('tierwise.ask', 'What does step3 return?');
    const second = await runAndWait('tierwise.ask', 'Is any of this thread-safe?');
    assert.equal(first.outcome, 'done', first.message);
    assert.equal(second.outcome, 'done', second.message);

    const [a, b] = await messageBodies();
    assert.ok(a && b, 'two Messages API calls');
    // Stable part first: system, the selection (marked), then the question as its own last message.
    assert.deepEqual(marks(a), ['m0']);
    assert.deepEqual(marks(b), ['m0']);
    assert.deepEqual(a.messages[0], b.messages[0], 'the same cached prefix');
    assert.equal(a.messages.length, 2);
    assert.match(JSON.stringify(a.messages[1]), /Question: What does step3 return\?/);
    assert.ok(!JSON.stringify(a.messages[0]).includes('What does step3'), 'the question is not part of the prefix');

    const written = first.live.cacheWriteTokens ?? 0;
    assert.ok(written > 4000, `tokens written to the cache: ${written}`);
    assert.ok(!first.live.cachedTokens, 'nothing read the first time');
    assert.match(first.live.cacheWriteCost ?? '', /^\$[\d.]+, \$[\d.]+ above the input price$/);
    assert.equal(second.live.cachedTokens, written, 'the second call reads what the first wrote');
    assert.ok(!second.live.cacheWriteTokens, 'nothing written the second time');
    assert.match(second.live.cacheSavings ?? '', /^saved \$[\d.]+$/);

    const [r1, r2] = await until('two ledger records', () => {
      const all = app.services.ledger().all();
      return all.length >= n + 2 ? all.slice(n) : undefined;
    });
    assert.equal(r1!.cacheWriteTokens, written);
    assert.equal(r1!.cacheReadTokens, 0);
    assert.equal(r2!.cacheReadTokens, written);
    assert.ok(r2!.cacheSavingsUsd > 0);
    // Read at a tenth of the input price: the second call is cheaper for the same prompt.
    assert.ok(r2!.costUsd < r1!.costUsd);
  });

  test('Explain twice (no question): the whole prompt is the cached prefix', async () => {
    await openBig();
    const first = await runAndWait('tierwise.explain');
    const second = await runAndWait('tierwise.explain');
    const [a, b] = await messageBodies();
    assert.deepEqual(marks(a!), ['m0']);
    assert.deepEqual(marks(b!), ['m0']);
    assert.ok((first.live.cacheWriteTokens ?? 0) > 4000);
    assert.equal(second.live.cachedTokens, first.live.cacheWriteTokens);
  });

  test('a simple-tier task marks nothing the first time a prefix is seen, and caches it once it repeats', async () => {
    await openBig();
    const first = await runAndWait('tierwise.runTask', 'extractKeywords');
    const second = await runAndWait('tierwise.runTask', 'extractKeywords');
    const third = await runAndWait('tierwise.runTask', 'extractKeywords');
    const bodies = await messageBodies();
    assert.equal(bodies[0]!.model, bodies[1]!.model);
    assert.deepEqual(marks(bodies[0]!), [], 'no write premium for a prefix seen once');
    assert.ok(!first.live.cacheWriteTokens);
    assert.deepEqual(marks(bodies[1]!), [`m${bodies[1]!.messages.length - 1}`]);
    assert.ok((second.live.cacheWriteTokens ?? 0) > 4000);
    assert.equal(third.live.cachedTokens, second.live.cacheWriteTokens);
  });

  test('tierwise.cache.enabled off: no cache marks, no write premium', async () => {
    await setting('cache.enabled', false);
    try {
      await openBig();
      const a = await runAndWait('tierwise.ask', 'First?');
      const b = await runAndWait('tierwise.ask', 'Second?');
      for (const body of await messageBodies()) assert.deepEqual(marks(body), []);
      assert.ok(!a.live.cacheWriteTokens && !b.live.cachedTokens);
    } finally {
      await setting('cache.enabled', undefined);
    }
  });
});

suite('Prompt caching on editor requests (OpenAI, automatic)', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', 'sk-test-caching-openai-0123456789abcdef');
    await setting('provider', 'openai');
  });
  setup(fakeReset);

  test('a second question on the same selection hits the provider cache on the shared prefix, without marks', async () => {
    await openBig();
    const first = await runAndWait('tierwise.ask', 'What does step3 return?');
    const second = await runAndWait('tierwise.ask', 'Is any of this thread-safe?');
    const bodies = (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as { messages: { role: string; content: unknown }[] });
    assert.equal(bodies.length, 2);
    assert.ok(!JSON.stringify(bodies).includes('cache_control'));
    // system, then the selection followed by the question in one user message: same system, same selection prefix.
    assert.deepEqual(bodies[0]!.messages[0], bodies[1]!.messages[0]);
    const [u1, u2] = [String(bodies[0]!.messages[1]!.content), String(bodies[1]!.messages[1]!.content)];
    const selectionEnd = u1.indexOf('Question:');
    assert.ok(selectionEnd > 17_000 && u2.indexOf('Question:') === selectionEnd && u1.slice(0, selectionEnd) === u2.slice(0, selectionEnd));
    assert.ok(!first.live.cachedTokens);
    assert.ok((second.live.cachedTokens ?? 0) >= 4096, `cached tokens on the second call: ${second.live.cachedTokens}`);
    assert.ok(!second.live.cacheWriteTokens, 'OpenAI charges no cache write');
  });
});
