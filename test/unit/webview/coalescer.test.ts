import assert from 'node:assert/strict';
import { UpdateCoalescer } from '../../../src/host/panels/coalescer';
import { WebviewChannel, type WebviewLike } from '../../../src/host/panels/channel';
import type { AnswerViewToHost, BatchMsg, HostToAnswerView } from '../../../src/shared/protocol';
import { parseAnswerViewMessage } from '../../../src/shared/protocol';
import { FakeTimers } from './fakeTimers';
import { META } from './fixtures';

describe('UpdateCoalescer', () => {
  it('posts at most one message per frame, joining deltas and merging meta', () => {
    const timers = new FakeTimers();
    const posted: BatchMsg[] = [];
    const c = new UpdateCoalescer((m) => posted.push(m), timers, 16);
    c.push({ type: 'answer.start', id: 'a', title: 't', meta: { ...META }, startedAt: 0 });
    for (let i = 0; i < 50; i++) c.push({ type: 'answer.delta', id: 'a', text: `${i},` });
    c.push({ type: 'answer.meta', id: 'a', meta: { inputTokens: 10, notes: ['retry 1'] } });
    c.push({ type: 'answer.status', id: 'a', text: 'queued' });
    c.push({ type: 'answer.meta', id: 'a', meta: { outputTokens: 5, notes: ['fallback'] } });
    c.push({ type: 'answer.status', id: 'a', text: '' });
    assert.equal(posted.length, 0);
    timers.advance(15);
    assert.equal(posted.length, 0);
    timers.advance(1);
    assert.equal(posted.length, 1);
    const u = posted[0].updates;
    assert.deepEqual(u.map((x) => x.type), ['answer.start', 'answer.delta', 'answer.meta', 'answer.status']);
    assert.equal(u[1].type === 'answer.delta' && u[1].text, Array.from({ length: 50 }, (_, i) => `${i},`).join(''));
    assert.deepEqual(u[2].type === 'answer.meta' && u[2].meta, { inputTokens: 10, outputTokens: 5, notes: ['retry 1', 'fallback'] });
    assert.equal(u[3].type === 'answer.status' && u[3].text, '');
    assert.equal(c.posted, 1);
    assert.equal(c.pushed, 55);
  });

  it('keeps answers apart and never merges across an answer\'s end', () => {
    const timers = new FakeTimers();
    const posted: BatchMsg[] = [];
    const c = new UpdateCoalescer((m) => posted.push(m), timers, 16);
    c.push({ type: 'answer.delta', id: 'a', text: 'A1' });
    c.push({ type: 'answer.delta', id: 'b', text: 'B1' });
    c.push({ type: 'answer.delta', id: 'a', text: 'A2' });
    c.push({ type: 'answer.end', id: 'a', outcome: 'done' });
    c.push({ type: 'answer.delta', id: 'a', text: 'late' });
    c.push({ type: 'answer.delta', id: 'b', text: 'B2' });
    timers.advance(16);
    assert.deepEqual(posted[0].updates, [
      { type: 'answer.delta', id: 'a', text: 'A1A2' },
      { type: 'answer.delta', id: 'b', text: 'B1B2' },
      { type: 'answer.end', id: 'a', outcome: 'done' },
      { type: 'answer.delta', id: 'a', text: 'late' },
    ]);
  });

  it('a steady token stream yields one post per frame', () => {
    const timers = new FakeTimers();
    let posts = 0;
    const c = new UpdateCoalescer(() => posts++, timers, 16);
    for (let t = 0; t < 1000; t += 2) {
      c.push({ type: 'answer.delta', id: 'a', text: 'x' });
      timers.advance(2);
    }
    timers.advance(16);
    assert.ok(posts <= Math.ceil(1000 / 16) + 1, `${posts} posts`);
    assert.ok(posts >= 60);
  });

  it('does not hold a message that arrives alone for longer than a frame, and clear() drops pending ones', () => {
    const timers = new FakeTimers();
    const posted: BatchMsg[] = [];
    const c = new UpdateCoalescer((m) => posted.push(m), timers, 16);
    c.push({ type: 'answer.delta', id: 'a', text: 'x' });
    timers.advance(16);
    assert.equal(posted.length, 1);
    c.push({ type: 'answer.delta', id: 'a', text: 'y' });
    c.clear();
    timers.advance(100);
    assert.equal(posted.length, 1);
    assert.equal(timers.pending, 0);
  });
});

class FakeWebview implements WebviewLike {
  sent: unknown[] = [];
  private listener: ((m: unknown) => void) | undefined;
  postMessage(msg: unknown): Thenable<boolean> {
    this.sent.push(msg);
    return Promise.resolve(true);
  }
  onDidReceiveMessage(l: (m: unknown) => void) {
    this.listener = l;
    return { dispose: () => (this.listener = undefined) };
  }
  receive(m: unknown): void {
    this.listener?.(m);
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('WebviewChannel', () => {
  it('drops malformed and unknown messages without throwing, reporting the count so the first is logged once', async () => {
    const wv = new FakeWebview();
    const logged: string[] = [];
    const counts: number[] = [];
    const ch = new WebviewChannel<HostToAnswerView, AnswerViewToHost>(wv, {
      parse: (raw) => {
        if (raw === 'explode') throw new Error('parser bug');
        return parseAnswerViewMessage(raw);
      },
      onRequest: () => assert.fail('no request is valid here'),
      onInvalid: (raw, count) => {
        counts.push(count);
        if (count === 1) logged.push(String(JSON.stringify(raw)));
        if (count === 3) throw new Error('logger failed');
      },
    });
    for (const raw of ['explode', { type: 'eval', seq: 1, code: 'x' }, null, { type: 'stop', seq: 2 }, '{"type":"ready","seq":0}']) wv.receive(raw);
    await tick();
    assert.equal(ch.rejected, 5);
    assert.deepEqual(counts, [1, 2, 3, 4, 5]);
    assert.deepEqual(logged, ['"explode"']);
    assert.equal(wv.sent.length, 0, 'nothing is answered to an invalid message');
    wv.receive({ type: 'ready', seq: 0 });
    await tick();
    assert.ok(ch.ready, 'the channel still works');
    ch.dispose();
  });

  it('queues posts until ready, validates requests and replies with their sequence number', async () => {
    const wv = new FakeWebview();
    const handled: AnswerViewToHost[] = [];
    let readyCalls = 0;
    const ch = new WebviewChannel<HostToAnswerView, AnswerViewToHost>(wv, {
      parse: parseAnswerViewMessage,
      onReady: () => readyCalls++,
      onRequest: (m) => {
        handled.push(m);
        if (m.type === 'insert') throw new Error('No text editor');
      },
    });
    ch.post({ type: 'answer.delta', id: 'a', text: 'queued' });
    assert.equal(wv.sent.length, 0);
    wv.receive({ type: 'stop', seq: 1 }); // invalid: no id
    wv.receive({ type: 'eval', seq: 2, code: 'x' });
    await tick();
    assert.equal(ch.rejected, 2);
    assert.equal(handled.length, 0);
    wv.receive({ type: 'ready', seq: 0 });
    await tick();
    assert.equal(readyCalls, 1);
    assert.deepEqual(wv.sent, [{ type: 'answer.delta', id: 'a', text: 'queued' }]);
    wv.receive({ type: 'stop', seq: 3, id: 'a' });
    wv.receive({ type: 'insert', seq: 4, text: 'code' });
    await tick();
    assert.deepEqual(handled.map((m) => m.type), ['stop', 'insert']);
    const replies = (wv.sent.slice(1) as unknown as { seq: number }[]).sort((a, b) => a.seq - b.seq);
    assert.deepEqual(replies, [
      { type: 'reply', seq: 3, ok: true },
      { type: 'reply', seq: 4, ok: false, error: 'No text editor' },
    ]);
    ch.notReady();
    ch.post({ type: 'answer.delta', id: 'a', text: 'later' });
    assert.equal(wv.sent.length, 3);
    ch.dispose();
  });
});
