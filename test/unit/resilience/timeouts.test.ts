import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import { ProviderError } from '../../../src/core/errors';
import type { ChatRequest, StreamEvent } from '../../../src/core/types';
import { streamWithTimeouts } from '../../../src/core/resilience/timeouts';
import type { StreamingProvider } from '../../../src/core/resilience/timeouts';

const req: ChatRequest = { provider: 'openai', model: 'gpt', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 };
const limits = { connectMs: 1000, firstTokenMs: 2000, idleMs: 500 };

/** A provider whose events are released by the test, one `step()` at a time, and which honours abort. */
function controlled(events: StreamEvent[]) {
  let release: (() => void) | undefined;
  const state = { aborted: false, signal: undefined as AbortSignal | undefined };
  const provider: StreamingProvider = {
    async *stream(_req, signal) {
      state.signal = signal;
      for (const ev of events) {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal?.addEventListener('abort', () => {
            state.aborted = true;
            reject(new ProviderError({ kind: 'aborted', message: 'aborted', provider: 'openai' }));
          }, { once: true });
        });
        yield ev;
      }
    },
  };
  return { provider, state, step: () => release?.() };
}

async function collect(it: AsyncIterable<StreamEvent>, into: StreamEvent[]): Promise<ProviderError | undefined> {
  try {
    for await (const ev of it) into.push(ev);
    return undefined;
  } catch (e) {
    return e as ProviderError;
  }
}

describe('resilience/timeouts', () => {
  it('passes a timely stream through and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const c = controlled([{ type: 'start' }, { type: 'text', text: 'a' }, { type: 'text', text: 'b' }]);
    const got: StreamEvent[] = [];
    const done = collect(streamWithTimeouts(c.provider, req, limits, clock), got);
    for (let i = 0; i < 3; i++) {
      await flushMicrotasks();
      await clock.advance(400);
      c.step();
    }
    assert.equal(await done, undefined);
    assert.equal(got.length, 3);
    assert.equal(clock.pending, 0);
  });

  it('times out waiting for the response (connect)', async () => {
    const clock = new ManualClock();
    const c = controlled([{ type: 'start' }]);
    const done = collect(streamWithTimeouts(c.provider, req, limits, clock), []);
    await clock.advance(999);
    await clock.advance(1);
    const err = await done;
    assert.equal(err?.kind, 'timeout');
    assert.equal(err?.code, 'connectTimeout');
    assert.equal(c.state.aborted, true, 'the request is aborted');
  });

  it('times out waiting for the first token', async () => {
    const clock = new ManualClock();
    const c = controlled([{ type: 'start' }, { type: 'text', text: 'late' }]);
    const done = collect(streamWithTimeouts(c.provider, req, limits, clock), []);
    await flushMicrotasks();
    c.step();
    await flushMicrotasks();
    await clock.advance(1999);
    assert.equal(c.state.aborted, false);
    await clock.advance(1);
    const err = await done;
    assert.equal(err?.code, 'firstTokenTimeout');
    assert.equal(err?.partialText, undefined);
  });

  it('detects a stall between chunks and keeps the text so far', async () => {
    const clock = new ManualClock();
    const c = controlled([{ type: 'start' }, { type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' }, { type: 'text', text: '!' }]);
    const got: StreamEvent[] = [];
    const done = collect(streamWithTimeouts(c.provider, req, limits, clock), got);
    for (let i = 0; i < 3; i++) {
      await flushMicrotasks();
      c.step();
    }
    await flushMicrotasks();
    await clock.advance(500);
    const err = await done;
    assert.equal(err?.code, 'idleTimeout');
    assert.equal(err?.partialText, 'Hello');
    assert.equal(got.length, 3);
  });

  it('the caller can cancel; the provider sees the abort', async () => {
    const clock = new ManualClock();
    const c = controlled([{ type: 'start' }]);
    const ac = new AbortController();
    const done = collect(streamWithTimeouts(c.provider, req, limits, clock, ac.signal), []);
    await flushMicrotasks();
    ac.abort();
    const err = await done;
    assert.equal(err?.kind, 'aborted');
    assert.equal(clock.pending, 0);
  });
});
