import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AnswerSnapshot } from '../../src/shared/protocol';
import { fakeEnqueue, fakeRequests, fakeReset, openFixture, setting, tierwise, until, answerAfter } from './helpers';

/** Runs Explain on sample.ts and waits for the answer to end. */
async function explainAndWait(): Promise<AnswerSnapshot> {
  const app = await tierwise();
  const editor = await openFixture('sample.ts');
  editor.selection = new vscode.Selection(0, 0, 8, 1);
  const before = app.panel.latest()?.id;
  await vscode.commands.executeCommand('tierwise.explain');
  return answerAfter(before, 'the answer to end');
}

suite('Failures a user can act on', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', 'sk-test-errors-0123456789abcdef');
    await setting('provider', 'openai');
    await setting('retry.initialDelayMs', 20);
  });
  setup(fakeReset);

  test('401: not retried; the message says the key was rejected, with the request id, and never shows the key', async () => {
    await fakeEnqueue({ kind: 'error', status: 401, errorType: 'auth' });
    const a = await explainAndWait();
    assert.equal(a.outcome, 'error');
    assert.match(a.message ?? '', /rejected the API key/);
    assert.match(a.message ?? '', /request id \S+/);
    assert.ok(!(a.message ?? '').includes('sk-test-errors'), 'the key must not appear in the message');
    assert.equal((await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).length, 1, '401 is not retried');
  });

  test('400 context overflow: not retried, the message gives the token count and the window', async () => {
    await fakeEnqueue({ kind: 'error', status: 400, errorType: 'context_length' });
    const a = await explainAndWait();
    assert.equal(a.outcome, 'error');
    assert.match(a.message ?? '', /context|window|tokens/i);
    assert.equal((await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).length, 1);
  });

  test('429 with retry-after-ms, then success: the retry is shown and counted in the ledger', async () => {
    const app = await tierwise();
    await fakeEnqueue({ kind: 'error', status: 429, errorType: 'rate_limit', headers: { 'retry-after-ms': '30' } });
    const n = app.services.ledger().all().length;
    const a = await explainAndWait();
    assert.equal(a.outcome, 'done');
    assert.ok((a.live.notes ?? []).some((s) => /429/.test(s) && /retry/i.test(s)), `retry note: ${JSON.stringify(a.live.notes)}`);
    assert.equal((await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).length, 2);
    const rec = await until('the ledger record', () => app.services.ledger().all()[n]);
    assert.equal(rec.retries, 1);
    assert.equal(rec.outcome, 'ok');
  });

  test('a drop mid-stream keeps the partial answer, marks it interrupted, records usage, and does not resend', async () => {
    const app = await tierwise();
    await fakeEnqueue({ kind: 'dropMidStream', afterChunks: 3, chunkSize: 5 });
    const n = app.services.ledger().all().length;
    const a = await explainAndWait();
    assert.equal(a.outcome, 'interrupted');
    assert.ok(a.text.length >= 10, `partial text kept: ${JSON.stringify(a.text)}`);
    assert.equal((await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).length, 1, 'never restarted after text');
    const rec = await until('the ledger record', () => app.services.ledger().all()[n]);
    assert.equal(rec.outcome, 'interrupted');
    assert.ok(rec.inputTokens > 0 && rec.outputTokens > 0, 'usage known so far is recorded');
  });

  test('three 503s, then success', async () => {
    await fakeEnqueue({ kind: 'error', status: 503, errorType: 'server', times: 3 });
    const a = await explainAndWait();
    assert.equal(a.outcome, 'done');
    assert.equal((await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions')).length, 4);
  });
});

suite('Answer controls', () => {
  setup(fakeReset);

  test('Escalate asks again one tier up, Retry asks again on the same model', async () => {
    const app = await tierwise();
    const first = await explainAndWait();
    assert.equal(first.meta.tier, 'medium');
    await fakeReset();
    await app.requests.escalate(first.id);
    const up = await answerAfter(first.id, 'the escalated answer');
    assert.equal(up.meta.tier, 'complex');
    assert.match(up.meta.reason, /escalated from medium on request/);
    let sent = (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions'));
    assert.deepEqual(sent.map((r) => (r.body as { model: string }).model), ['gpt-6.2-astra']);

    await fakeReset();
    await app.requests.retry(up.id);
    await answerAfter(up.id, 'the retried answer');
    sent = (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent.length, 1);
  });
});
