/**
 * Faults end to end: the real extension host against the fake provider. Every case must end in a clear state: the
 * partial text kept, one ledger record written, a message the user can act on, and the next request working.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LedgerRecord } from '../../src/core/pricing';
import type { AnswerSnapshot } from '../../src/shared/protocol';
import { captureMessages, fakeEnqueue, fakeRequests, fakeReset, fakeUrl, openFixture, setting, tierwise, until, answerAfter } from './helpers';

const chat = async () => (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions'));

/** Runs Explain on sample.ts and waits for the answer to end; returns it with the ledger records it added. */
async function explain(): Promise<{ answer: AnswerSnapshot; records: LedgerRecord[] }> {
  const app = await tierwise();
  const editor = await openFixture('sample.ts');
  editor.selection = new vscode.Selection(0, 0, 8, 1);
  const before = app.panel.latest()?.id;
  const n = app.services.ledger().all().length;
  await vscode.commands.executeCommand('tierwise.explain');
  const answer = await answerAfter(before, 'the answer to end');
  const records = await until('its ledger record', () => (app.services.ledger().all().length > n ? app.services.ledger().all().slice(n) : undefined));
  return { answer, records };
}

/** After a fault: the provider is healthy again and the next request is answered in full. */
async function nextRequestWorks(): Promise<void> {
  await fakeReset();
  const { answer, records } = await explain();
  assert.equal(answer.outcome, 'done', `the next request works: ${answer.message ?? ''}`);
  assert.match(answer.text, /Answer from/);
  assert.equal(records.at(-1)?.outcome, 'ok');
}

suite('Faults end to end', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', 'sk-test-faults-0123456789abcdef');
    await setting('provider', 'openai');
    await setting('retry.initialDelayMs', 10);
    // Fewer attempts than the circuit breaker's threshold (5), so one storm does not open it for the next test.
    await setting('retry.maxRetries', 2);
  });
  suiteTeardown(async () => {
    await setting('retry.maxRetries', undefined);
    await setting('timeouts.idleMs', undefined);
    await setting('providers.openai.baseUrl', `${fakeUrl()}/v1`);
  });
  setup(fakeReset);

  test('a 429 storm: every retry used, a rate-limit message, one ledger record, then the next request works', async () => {
    await fakeEnqueue({ kind: 'error', status: 429, errorType: 'rate_limit', headers: { 'retry-after-ms': '20' }, times: 50 });
    const { answer, records } = await explain();
    assert.equal(answer.outcome, 'error');
    assert.match(answer.message ?? '', /rate limit/i);
    assert.equal((await chat()).length, 3, 'one attempt and two retries');
    assert.equal(records.length, 1);
    assert.equal(records[0]!.outcome, 'error');
    assert.equal(records[0]!.error, 'rateLimit');
    assert.equal(records[0]!.retries, 2);
    await nextRequestWorks();
  });

  test('5xx: 529 twice, then an answer; a 500 that persists ends in a server-error message', async () => {
    await fakeEnqueue({ kind: 'error', status: 529, errorType: 'overloaded', times: 2 });
    const { answer, records } = await explain();
    assert.equal(answer.outcome, 'done');
    assert.ok((answer.live.notes ?? []).some((n) => /overloaded|529/i.test(n)), `notes: ${JSON.stringify(answer.live.notes)}`);
    assert.equal(records[0]!.retries, 2);
    assert.equal((await chat()).length, 3);
    await fakeReset();
    await fakeEnqueue({ kind: 'error', status: 500, errorType: 'server', times: 50 });
    const failed = await explain();
    assert.equal(failed.answer.outcome, 'error');
    assert.match(failed.answer.message ?? '', /server error \(HTTP 500\)/);
    assert.equal(failed.records[0]!.error, 'server');
    await nextRequestWorks();
  });

  test('a connection reset before the headers is retried; one that persists says the host could not be reached', async () => {
    await fakeEnqueue({ kind: 'reset' });
    const once = await explain();
    assert.equal(once.answer.outcome, 'done');
    assert.equal(once.records[0]!.retries, 1);
    await fakeReset();
    await fakeEnqueue({ kind: 'reset', times: 50 });
    const { answer, records } = await explain();
    assert.equal(answer.outcome, 'error');
    assert.match(answer.message ?? '', /Could not reach OpenAI at 127\.0\.0\.1:\d+/);
    assert.equal(records[0]!.error, 'network');
    await nextRequestWorks();
  });

  test('a drop mid-stream keeps the partial text, records usage, and the next request works', async () => {
    await fakeEnqueue({ kind: 'dropMidStream', afterChunks: 3, chunkSize: 6 });
    const { answer, records } = await explain();
    assert.equal(answer.outcome, 'interrupted');
    assert.ok(answer.text.length >= 12, `partial text: ${JSON.stringify(answer.text)}`);
    assert.match(answer.message ?? '', /partial answer is kept/);
    assert.equal(records[0]!.outcome, 'interrupted');
    assert.ok(records[0]!.outputTokens > 0);
    assert.equal((await chat()).length, 1, 'text already shown is never asked for again behind the user\'s back');
    await nextRequestWorks();
  });

  test('malformed SSE after some text: the text is kept, the answer is marked interrupted', async () => {
    await fakeEnqueue({ kind: 'malformed', afterChunks: 3, chunkSize: 6 });
    const { answer, records } = await explain();
    assert.equal(answer.outcome, 'interrupted');
    assert.ok(answer.text.length >= 12, `partial text: ${JSON.stringify(answer.text)}`);
    assert.match(answer.message ?? '', /cut off after \d+ characters|could not read/);
    assert.equal(records[0]!.outcome, 'interrupted');
    await nextRequestWorks();
  });

  test('a stall after some tokens ends at the idle timeout with the text kept', async () => {
    await setting('timeouts.idleMs', 400);
    try {
      await fakeEnqueue({ kind: 'stall', afterChunks: 3, chunkSize: 6 });
      const { answer, records } = await explain();
      assert.equal(answer.outcome, 'interrupted');
      assert.ok(answer.text.length >= 12, `partial text: ${JSON.stringify(answer.text)}`);
      assert.match(answer.message ?? '', /OpenAI stopped sending \(stream stalled: nothing for 400 ms\)\. If gpt-6.1-sol is slow rather than stuck, raise the setting tierwise\.timeouts\.idleMs\./);
      assert.match(answer.message ?? '', /partial answer is kept/);
      assert.equal(records[0]!.outcome, 'interrupted');
    } finally {
      await setting('timeouts.idleMs', undefined);
    }
    await nextRequestWorks();
  });

  test('a host that does not resolve: the message names the host and the setting', async () => {
    await setting('providers.openai.baseUrl', 'https://tierwise-nonexistent.invalid/v1');
    try {
      const { answer, records } = await explain();
      assert.equal(answer.outcome, 'error');
      assert.match(answer.message ?? '', /tierwise-nonexistent\.invalid does not resolve/);
      assert.match(answer.message ?? '', /tierwise\.providers\.openai\.baseUrl/);
      assert.equal(records[0]!.error, 'network');
    } finally {
      await setting('providers.openai.baseUrl', `${fakeUrl()}/v1`);
    }
    await nextRequestWorks();
  });

  test('a wrong base URL answering an HTML 404 page: the message says the base URL looks wrong and names the setting', async () => {
    await fakeEnqueue({ kind: 'html', status: 404 });
    const { answer, records } = await explain();
    assert.equal(answer.outcome, 'error');
    assert.match(answer.message ?? '', /HTML page/);
    assert.match(answer.message ?? '', /base URL .* looks wrong/);
    assert.match(answer.message ?? '', /tierwise\.providers\.openai\.baseUrl/);
    assert.doesNotMatch(answer.message ?? '', /does not know the model/);
    assert.doesNotMatch(answer.message ?? '', /<html|<center/i, 'the page itself is not pasted into the message');
    assert.equal(records[0]!.outcome, 'error');
    assert.equal((await chat()).length, 1, 'a 404 is not retried');
    await nextRequestWorks();
  });

  test('a 401 after the key was rotated in another window: sent once more with the new key', async () => {
    const app = await tierwise();
    const ui = captureMessages();
    try {
      await fakeEnqueue({ kind: 'error', status: 401, errorType: 'auth', delayMs: 3000 });
      const editor = await openFixture('sample.ts');
      editor.selection = new vscode.Selection(0, 0, 8, 1);
      const before = app.panel.latest()?.id;
      const n = app.services.ledger().all().length;
      // The command resolves when the request has ended: start it and rotate the key while it runs.
      const running = vscode.commands.executeCommand('tierwise.explain');
      await until('the request with the old key', async () => (await chat()).length === 1);
      const first = app.panel.latest()!.id;
      assert.notEqual(first, before);
      // Another window stores a new key: this window sees it through secrets.onDidChange.
      const t0 = Date.now();
      await app.keys.set('openai', 'sk-test-rotated-9876543210fedcba');
      assert.ok(Date.now() - t0 < 2500, 'the key changed while the request was still waiting for its answer');
      const second = await until('the second answer to end', () => {
        const latest = app.panel.latest();
        return latest && latest.id !== first && latest.outcome ? latest : undefined;
      }, 30_000).catch((e: Error) => {
        const f = app.panel.get(first);
        throw new Error(`${e.message}; the first answer: ${f?.outcome} ${f?.message}; requests: ${ui.messages.map((m) => m.text).join(' | ')}`);
      });
      await running;
      assert.equal(second.outcome, 'done', second.message);
      assert.match(second.text, /Answer from/);
      const failed = app.panel.get(first)!;
      assert.equal(failed.outcome, 'error');
      assert.match(failed.message ?? '', /key was changed meanwhile .* sending again with the new key/);
      const sent = await chat();
      assert.equal(sent.length, 2);
      assert.equal(sent[0]!.headers.authorization, 'Bearer sk-test-faults-0123456789abcdef');
      assert.equal(sent[1]!.headers.authorization, 'Bearer sk-test-rotated-9876543210fedcba');
      const recs = await until('two ledger records', () => (app.services.ledger().all().length >= n + 2 ? app.services.ledger().all().slice(n) : undefined));
      assert.deepEqual(recs.map((r) => r.outcome), ['error', 'ok']);
      assert.ok(!ui.messages.some((m) => /rejected the API key/.test(m.text)), `no key prompt when the new key works: ${JSON.stringify(ui.messages)}`);
    } finally {
      ui.restore();
      await app.keys.set('openai', 'sk-test-faults-0123456789abcdef');
    }
  });
});
