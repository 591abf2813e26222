import * as assert from 'node:assert/strict';
import { REASONING_ROOM_TOKENS } from '../../src/core/providers/reasoning';
import * as vscode from 'vscode';
import type { AnswerSnapshot as Answer } from '../../src/shared/protocol';
import { fakeEnqueue, fakeRequests, fakeReset, openFixture, setting, tierwise, until, answerAfter } from './helpers';

const KEY = 'sk-test-integration-0123456789abcdef';

type Body = { model: string; max_tokens?: number; max_completion_tokens?: number; messages: { role: string; content: string }[] };

async function chatBodies(): Promise<Body[]> {
  return (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as Body);
}

/** Asks about the sample selection and waits for the finished answer. */
async function askAndWait(question: string): Promise<Answer> {
  const app = await tierwise();
  const before = app.panel.latest()?.id;
  const editor = await openFixture('sample.ts');
  editor.selection = new vscode.Selection(0, 0, 8, 1);
  await vscode.commands.executeCommand('tierwise.ask', question);
  return answerAfter(before, `the answer to "${question}"`);
}

suite('Routing free-form requests', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', KEY);
    await setting('provider', 'openai');
    await setting('routing.classifier', undefined);
    await vscode.commands.executeCommand('tierwise.resetLearnedRouting');
  });
  setup(fakeReset);
  suiteTeardown(async () => {
    await setting('routing.classifier', undefined);
    await vscode.commands.executeCommand('tierwise.resetLearnedRouting');
  });

  test('Ask About Selection routes by the question, sizes max_tokens, and records the default-tier cost', async () => {
    const app = await tierwise();
    const n = app.services.ledger().all().length;
    const a = await askAndWait('What language is this written in?');
    assert.equal(a.meta.tier, 'simple');
    assert.match(a.meta.reason, /^simple tier: asks for a lookup, [\d,]+ input tokens → gpt-6-luna$/);
    const [body] = await chatBodies();
    assert.equal(body!.model, 'gpt-6-luna');
    assert.ok((body!.max_tokens ?? body!.max_completion_tokens! - REASONING_ROOM_TOKENS) < 500, 'sized for a short answer');
    const rec = await until('the ledger record', () => app.services.ledger().all()[n]);
    assert.equal(rec.task, 'answer');
    assert.equal(rec.routing?.routedTier, 'simple');
    assert.equal(rec.routing?.defaultTier, 'medium');
    assert.equal(rec.routing?.source, 'rules');
    assert.ok(rec.routing!.defaultTierUsd! > rec.costUsd, 'the same usage on gpt-6.1-sol costs more');

    await fakeReset();
    const b = await askAndWait('Prove that this terminates for every input, or give a counterexample.');
    assert.equal(b.meta.tier, 'complex');
    assert.equal((await chatBodies())[0]!.model, 'gpt-6.2-astra');
  });

  test('an escalated auto-routed answer teaches the router; Reset Learned Routing forgets it', async () => {
    const app = await tierwise();
    const first = await askAndWait('How many parameters does fib take?');
    assert.equal(first.meta.tier, 'simple');
    await fakeReset();
    await app.requests.escalate(first.id);
    const up = await answerAfter(first.id, 'the escalated answer');
    assert.equal(up.meta.tier, 'medium');
    assert.equal(app.services.learnedRouting().size, 1);
    const rec = app.services.ledger().all().at(-1)!;
    assert.equal(rec.routing?.source, 'escalated');

    await fakeReset();
    const again = await askAndWait('How many arguments does fib take?');
    assert.equal(again.meta.tier, 'medium');
    assert.match(again.meta.reason, /like a past request you moved to medium \(asks for a lookup\)/);

    await vscode.commands.executeCommand('tierwise.resetLearnedRouting');
    assert.equal(app.services.learnedRouting().size, 0);
    await fakeReset();
    const after = await askAndWait('How many arguments does fib take?');
    assert.equal(after.meta.tier, 'simple');
  });

  test('a tier chosen with the ⚙ override wins over auto routing and is learned once (a Retry does not count again)', async () => {
    const app = await tierwise();
    await vscode.commands.executeCommand('tierwise.resetLearnedRouting');
    const editor = await openFixture('sample.ts');
    editor.selection = new vscode.Selection(0, 0, 8, 1);
    const pending = app.requests.fromEditor('answer', 'Ask', 'What language is this written in?')!;
    const before = app.panel.latest()?.id;
    await app.requests.send({ ...pending, override: { tier: 'complex' }, overrideChosen: true });
    const a = await until('the answer', () => {
      const x = app.panel.latest();
      return x && x.id !== before && x.outcome ? x : undefined;
    }, 30_000);
    assert.equal(a.meta.tier, 'complex');
    assert.match(a.meta.reason, /^complex tier \(your choice\): asks for a lookup/);
    assert.deepEqual((await chatBodies()).map((b) => b.model), ['gpt-6.2-astra']);
    assert.equal(app.services.learnedRouting().size, 1);
    await app.requests.retry(a.id);
    await until('the retried answer', () => {
      const x = app.panel.latest();
      return x && x.id !== a.id && x.outcome ? x : undefined;
    }, 30_000);
    assert.equal(app.services.learnedRouting().size, 1);
    await vscode.commands.executeCommand('tierwise.resetLearnedRouting');
  });

  test('judge mode: the simple-tier model classifies an unclear request with 5 tokens, recorded as routing overhead; an error keeps the local tier', async () => {
    const app = await tierwise();
    await setting('routing.classifier', 'model');
    try {
      await fakeEnqueue({ kind: 'ok', text: 'complex' });
      const n = app.services.ledger().all().length;
      const a = await askAndWait('Thoughts?');
      const sent = await chatBodies();
      assert.equal(sent.length, 2);
      assert.equal(sent[0]!.model, 'gpt-6-luna');
      assert.equal(sent[0]!.max_tokens ?? sent[0]!.max_completion_tokens! - REASONING_ROOM_TOKENS, 5);
      assert.match(sent[0]!.messages.at(-1)!.content, /^Request: Thoughts\?\nSelection: \d+ tokens of typescript code\.$/);
      assert.equal(sent[1]!.model, 'gpt-6.2-astra');
      assert.equal(a.meta.tier, 'complex');
      assert.match(a.meta.reason, /judged complex by gpt-6-luna/);
      const judge = app.services.ledger().all().slice(n).find((r) => r.task === 'routing-judge');
      assert.ok(judge, 'the judge call is in the ledger');
      assert.equal(judge.overhead, 'routing');
      assert.ok(judge.costUsd > 0);

      // A clear request is not judged.
      await fakeReset();
      await askAndWait('Convert this to YAML.');
      assert.deepEqual((await chatBodies()).map((b) => b.model), ['gpt-6-luna']);

      // The judge fails: the local decision stands.
      await fakeReset();
      await fakeEnqueue({ kind: 'error', status: 400, errorType: 'bad_request' });
      const b = await askAndWait('Thoughts?');
      assert.equal(b.meta.tier, 'medium');
      assert.match(b.meta.reason, /^medium tier: no clear task in the request/);
    } finally {
      await setting('routing.classifier', undefined);
    }
  });
});
