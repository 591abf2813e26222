import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import { RateLimiter } from '../../../src/core/resilience/limiter';
import { parseRateLimitHeaders } from '../../../src/core/resilience/rateLimitHeaders';
import { WindowBudget } from '../../../src/core/resilience/window';
import type { Permit } from '../../../src/core/resilience/limiter';
import { takeTurns } from '../../../src/core/resilience/turns';

describe('resilience/limiter', () => {
  describe('WindowBudget', () => {
    it('reserves, refuses past the limit and frees as reservations age out', () => {
      const b = new WindowBudget(100, 60_000);
      b.take(60, 0);
      b.take(30, 10_000);
      assert.equal(b.available(10_000), 10);
      assert.equal(b.waitMs(10, 10_000), 0);
      assert.equal(b.waitMs(11, 10_000), 50_000); // the first reservation expires at 60 s
      assert.equal(b.waitMs(80, 10_000), 60_000); // both must expire: the second at 70 s
      assert.equal(b.available(60_000), 70);
      assert.equal(b.available(70_000), 100);
    });
    it('settles a reservation to the real amount', () => {
      const b = new WindowBudget(1000);
      const r = b.take(800, 0); // estimate: input + max_tokens
      assert.equal(b.available(0), 200);
      b.settle(r, 350); // real usage
      assert.equal(b.available(0), 650);
      b.settle(r, 1200); // an under-estimate is charged in full
      assert.equal(b.available(0), -200);
      assert.equal(b.waitMs(1, 0), 60_000);
    });
    it('lets a request larger than the whole limit through once the window is empty', () => {
      const b = new WindowBudget(100);
      assert.equal(b.waitMs(500, 0), 0);
      b.take(500, 0);
      assert.equal(b.waitMs(500, 1), 59_999);
    });
    it('is unlimited until a limit is configured or learned', () => {
      const b = new WindowBudget(undefined);
      b.take(1e9, 0);
      assert.equal(b.waitMs(1e9, 0), 0);
      b.adapt({ limit: 500, remaining: 490 }, 0);
      assert.equal(b.limit, 500);
    });
    it('adapts to a provider that reports less remaining than we think, until its reset', () => {
      const b = new WindowBudget(100);
      b.take(10, 0);
      b.adapt({ remaining: 50, resetMs: 5000 }, 1000); // we think 90 are left; the server says 50
      assert.equal(b.available(1000), 50);
      assert.equal(b.available(6000), 90);
      b.adapt({ remaining: 95 }, 7000); // more than we think: keep ours
      assert.equal(b.available(7000), 90);
    });
    it('compares late headers with our count at the time the request was admitted', () => {
      const b = new WindowBudget(100);
      b.take(40, 0);
      b.take(10, 30_000); // admitted at 30 s; 50 in use then; the server says 45 left: 5 we did not know of
      const then = { at: 30_000, used: b.used(30_000) };
      // the headers are read when the stream ends, at 65 s: our first reservation has aged out meanwhile
      b.adapt({ remaining: 45, resetMs: 40_000 }, 65_000, then);
      assert.equal(b.available(65_000), 85); // 100 - 10 - 5, not 100 - 10 - (90 - 45)
      b.adapt({ remaining: 45, resetMs: 20_000 }, 65_000, then); // a reset already past: nothing more to hold
      assert.equal(b.available(65_000), 85);
      assert.equal(b.available(70_000), 90); // held until 30 s + 40 s
    });
    it('is not fooled by requests that reach the server in another order than they were admitted', () => {
      const b = new WindowBudget(1000);
      b.take(100, 0); // A
      const thenA = { at: 0, used: b.used(0) }; // 100
      b.take(200, 0); // B, admitted after A but counted first by the server
      // A's headers: the server had seen B and A: 1000 - 300 left
      b.adapt({ remaining: 700, resetMs: 60_000 }, 0, thenA);
      assert.equal(b.available(0), 700);
    });
    it('takes the smaller of a configured and a reported limit', () => {
      const b = new WindowBudget(100);
      b.adapt({ limit: 60 }, 0);
      assert.equal(b.limit, 60);
      b.adapt({ limit: 500 }, 0);
      assert.equal(b.limit, 100);
    });
  });

  it('parses OpenAI and Anthropic rate-limit headers', () => {
    const o = parseRateLimitHeaders(
      {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '499',
        'x-ratelimit-reset-requests': '120ms',
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '29996',
        'x-ratelimit-reset-tokens': '8ms',
      },
      0,
    );
    assert.deepEqual(o, {
      requests: { limit: 500, remaining: 499, resetMs: 120 },
      tokens: { limit: 30000, remaining: 29996, resetMs: 8 },
      inputTokens: {},
      outputTokens: {},
    });
    const now = Date.parse('2026-01-15T14:24:00Z');
    const a = parseRateLimitHeaders(
      {
        'anthropic-ratelimit-requests-limit': '4000',
        'anthropic-ratelimit-requests-remaining': '3201',
        'anthropic-ratelimit-requests-reset': '2026-01-15T14:24:02Z',
        'anthropic-ratelimit-tokens-remaining': '100',
      },
      now,
    );
    assert.deepEqual(a, { requests: { limit: 4000, remaining: 3201, resetMs: 2000 }, tokens: { remaining: 100 }, inputTokens: {}, outputTokens: {} });
    // With the separate input and output budgets, Anthropic's tokens-* only repeat the stricter of them.
    const split = parseRateLimitHeaders(
      {
        'anthropic-ratelimit-tokens-limit': '8000',
        'anthropic-ratelimit-tokens-remaining': '8000',
        'anthropic-ratelimit-input-tokens-limit': '40000',
        'anthropic-ratelimit-input-tokens-remaining': '39000',
        'anthropic-ratelimit-input-tokens-reset': '2026-01-15T14:24:01Z',
        'anthropic-ratelimit-output-tokens-limit': '8000',
        'anthropic-ratelimit-output-tokens-remaining': '8000',
      },
      now,
    );
    assert.deepEqual(split, {
      requests: {},
      tokens: {},
      inputTokens: { limit: 40000, remaining: 39000, resetMs: 1000 },
      outputTokens: { limit: 8000, remaining: 8000 },
    });
  });

  describe('RateLimiter', () => {
    it('grants at once while the budgets allow, then queues with a reason', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const reasons: string[] = [];
      const p1 = await rl.acquire('k', { rpm: 2 }, 10, { onQueued: (r) => reasons.push(r) });
      const p2 = await rl.acquire('k', { rpm: 2 }, 10, { onQueued: (r) => reasons.push(r) });
      assert.equal(reasons.length, 0);
      const got: { third?: Permit } = {};
      void rl.acquire('k', { rpm: 2 }, 10, { onQueued: (r) => reasons.push(r) }).then((p) => (got.third = p));
      await flushMicrotasks();
      assert.deepEqual(reasons, ['queued (rate limit)']);
      assert.equal(got.third === undefined, true);
      p1.release();
      p2.release();
      await clock.advance(59_999);
      assert.equal(got.third === undefined, true);
      await clock.advance(1);
      assert.equal(got.third?.waitedMs, 60_000);
    });

    it('serves waiters in FIFO order even when a later one would fit sooner', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const limits = { tpm: 1000 };
      const first = await rl.acquire('k', limits, 900);
      first.release();
      const order: string[] = [];
      // big needs the 900 to age out; small would fit now but must not overtake.
      void rl.acquire('k', limits, 500).then((p) => (order.push('big'), p.release()));
      void rl.acquire('k', limits, 50).then((p) => (order.push('small'), p.release()));
      await flushMicrotasks();
      assert.deepEqual(order, []);
      await clock.advance(60_000);
      assert.deepEqual(order, ['big', 'small']);
    });

    it('wakes a waiter early when a settle refunds tokens', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const p = await rl.acquire('k', { tpm: 1000 }, 1000);
      let got = false;
      void rl.acquire('k', { tpm: 1000 }, 400).then(() => (got = true));
      await flushMicrotasks();
      assert.equal(got, false);
      p.settle(500);
      await flushMicrotasks();
      assert.equal(got, true);
    });

    it('caps concurrency and hands the slot on at release', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const reasons: string[] = [];
      const a = await rl.acquire('k', { concurrency: 1 }, 1);
      let b: Permit | undefined;
      void rl.acquire('k', { concurrency: 1 }, 1, { onQueued: (r) => reasons.push(r) }).then((p) => (b = p));
      await flushMicrotasks();
      assert.deepEqual(reasons, ['queued (concurrency limit)']);
      assert.equal(b, undefined);
      a.release();
      a.release(); // idempotent
      await flushMicrotasks();
      assert.ok(b);
      assert.equal(rl.snapshot('k').active, 1);
    });

    it('cancels a queued request and lets the next one move up', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const a = await rl.acquire('k', { concurrency: 1 }, 1);
      const ac = new AbortController();
      const cancelled = rl.acquire('k', { concurrency: 1 }, 1, { signal: ac.signal });
      let third: Permit | undefined;
      void rl.acquire('k', { concurrency: 1 }, 1).then((p) => (third = p));
      await flushMicrotasks();
      assert.equal(rl.snapshot('k').queued, 2);
      ac.abort();
      await assert.rejects(cancelled, { name: 'AbortError' });
      assert.equal(rl.snapshot('k').queued, 1);
      a.release();
      await flushMicrotasks();
      assert.ok(third);
      assert.equal(rl.snapshot('k').active, 1);
      assert.equal(clock.pending, 0);
    });

    it('cancels a request waiting on the clock without leaving a timer behind', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      (await rl.acquire('k', { rpm: 1 }, 1)).release();
      const ac = new AbortController();
      const waiting = rl.acquire('k', { rpm: 1 }, 1, { signal: ac.signal });
      await flushMicrotasks();
      assert.equal(clock.pending, 1);
      ac.abort();
      await assert.rejects(waiting);
      await flushMicrotasks();
      assert.equal(clock.pending, 0);
      assert.equal(rl.snapshot('k').rpmUsed, 1);
    });

    it('keeps separate budgets per key', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      await rl.acquire('openai/a', { rpm: 1 }, 1);
      let other = false;
      void rl.acquire('openai/b', { rpm: 1 }, 1).then(() => (other = true));
      await flushMicrotasks();
      assert.equal(other, true);
    });

    it('starts cautiously: with nothing configured, one request at a time until the first response', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const reasons: string[] = [];
      const first = await rl.acquire('openai/m', {}, 10);
      assert.equal(rl.snapshot('openai/m').learning, true);
      const granted: Permit[] = [];
      for (let i = 0; i < 5; i++) void rl.acquire('openai/m', {}, 10, { onQueued: (r) => reasons.push(r) }).then((p) => granted.push(p));
      await flushMicrotasks();
      assert.equal(granted.length, 0);
      assert.equal(reasons[0], 'queued (learning the rate limits)');
      // another model of the provider has budgets of its own, and learns on its own
      assert.equal(rl.snapshot('openai/other').learning, true);
      // the first response says 3 requests per minute, 1 used (this one)
      first.adapt({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '2', 'x-ratelimit-reset-requests': '40s' });
      await flushMicrotasks();
      assert.equal(rl.snapshot('openai/m').learning, false);
      assert.equal(rl.snapshot('openai/m').rpmLimit, 3);
      assert.equal(granted.length, 2, 'scheduled as if rpm 3 were configured, though the first one is still streaming');
      await clock.advance(60_000);
      assert.equal(granted.length, 5);
    });

    it('ends the cautious start on a response without rate-limit headers (a local server): no limits then', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const first = await rl.acquire('openaiCompatible', {}, 10);
      let n = 0;
      for (let i = 0; i < 20; i++) void rl.acquire('openaiCompatible', {}, 10).then(() => n++);
      await flushMicrotasks();
      assert.equal(n, 0);
      first.adapt({ 'content-type': 'text/event-stream' });
      await flushMicrotasks();
      assert.equal(n, 20);
      assert.equal(rl.snapshot('openaiCompatible').rpmLimit, undefined);
    });

    it('keeps the cautious start when a request ends without any response (a network error)', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const first = await rl.acquire('k', {}, 10);
      let second: Permit | undefined;
      let third: Permit | undefined;
      void rl.acquire('k', {}, 10).then((p) => (second = p));
      void rl.acquire('k', {}, 10).then((p) => (third = p));
      first.release(); // no adapt: nothing came back
      await flushMicrotasks();
      assert.ok(second);
      assert.equal(third, undefined, 'the next request probes alone');
    });

    it('does not start cautiously where limits are configured', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      let n = 0;
      for (let i = 0; i < 5; i++) void rl.acquire('k', { rpm: 10 }, 10).then(() => n++);
      await flushMicrotasks();
      assert.equal(n, 5);
      assert.equal(rl.snapshot('k').learning, false);
    });

    it('takes the stricter of a configured and a learned limit', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const p = await rl.acquire('k', { rpm: 100, tpm: 1000 }, 10);
      p.adapt({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-limit-tokens': '5000' });
      const s = rl.snapshot('k');
      assert.equal(s.rpmLimit, 3);
      assert.equal(s.tpmLimit, 1000);
    });

    it('learns from the first response whether output tokens count against the token limit', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      // input 300, max_tokens 200; the provider reports 300 used: it counts input only
      const p = await rl.acquire('openai/m', {}, 300, { maxOutputTokens: 200 });
      assert.equal(rl.snapshot('openai/m').tpmUsed, 500, 'reserves input + max_tokens while the basis is unknown');
      p.adapt({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '700' });
      p.settle(300, 50);
      assert.equal(rl.snapshot('openai/m').tpmBasis, 'input');
      assert.equal(rl.snapshot('openai/m').tpmUsed, 300);
      // a provider that counted input + max_tokens: 500 used
      const q = await rl.acquire('openai/n', {}, 300, { maxOutputTokens: 200 });
      q.adapt({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '500' });
      q.settle(300, 50);
      assert.equal(rl.snapshot('openai/n').tpmBasis, 'total');
      assert.equal(rl.snapshot('openai/n').tpmUsed, 350);
      // configured basis wins over what is learned
      const r = await rl.acquire('openai/o', { tpmBasis: 'total' }, 300, { maxOutputTokens: 200 });
      r.adapt({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '700' });
      assert.equal(rl.snapshot('openai/o').tpmBasis, 'total');
    });

    it('schedules against Anthropic input-token and output-token limits learned from headers', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const first = await rl.acquire('anthropic/c', {}, 100, { maxOutputTokens: 300 });
      first.adapt({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-tokens-limit': '500',
        'anthropic-ratelimit-tokens-remaining': '200',
        'anthropic-ratelimit-input-tokens-limit': '10000',
        'anthropic-ratelimit-input-tokens-remaining': '9900',
        'anthropic-ratelimit-output-tokens-limit': '500',
        'anthropic-ratelimit-output-tokens-remaining': '200',
      });
      const s = rl.snapshot('anthropic/c');
      assert.deepEqual([s.rpmLimit, s.tpmLimit, s.inputTpmLimit, s.outputTpmLimit], [50, undefined, 10000, 500]);
      // max_tokens 300 is reserved against the output budget: a second request of 300 has to wait ...
      let second = false;
      void rl.acquire('anthropic/c', {}, 100, { maxOutputTokens: 300 }).then(() => (second = true));
      await flushMicrotasks();
      assert.equal(second, false);
      // ... until the first one settles to the 40 output tokens it really used
      first.settle(100, 40);
      await flushMicrotasks();
      assert.equal(second, true);
    });

    it('counts a request in the window from its response, not from its admission (the server saw it later)', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const p = await rl.acquire('k', { rpm: 1 }, 10);
      await clock.advance(300); // on the way to the server
      p.adapt({});
      p.release();
      let next = false;
      void rl.acquire('k', { rpm: 1 }, 10).then(() => (next = true));
      await clock.advance(60_000 - 300);
      assert.equal(next, false, 'a window after admission the server may still count it');
      await clock.advance(300);
      assert.equal(next, true);
    });

    it('learns how many tokens the provider counts per estimated token, and reserves what it will count', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const limits = { tpm: 1000, tpmBasis: 'input' as const };
      const first = await rl.acquire('k', limits, 100);
      assert.equal(rl.snapshot('k').tpmUsed, 100, 'the first request is reserved at its estimate');
      first.settle(150); // the provider counted 150 input tokens for an estimate of 100
      first.release();
      assert.equal(rl.snapshot('k').estimateScale, 1.5);
      assert.equal(rl.snapshot('k').tpmUsed, 150);
      // 1000 − 150 = 850 left: an estimate of 500 is 750 as the provider counts, and fits; a second one would not.
      const second = await rl.acquire('k', limits, 500);
      assert.equal(rl.snapshot('k').tpmUsed, 900);
      let third = false;
      void rl.acquire('k', limits, 100).then(() => (third = true));
      await flushMicrotasks();
      assert.equal(third, false, '900 + 150 > 1000: it waits');
      second.settle(700);
      await flushMicrotasks();
      assert.equal(third, true, 'the refund of the over-estimate lets it through');
    });

    it('keeps the learned scale within bounds whatever a usage report says', async () => {
      const rl = new RateLimiter(new ManualClock());
      const p = await rl.acquire('k', { tpm: 10_000 }, 20);
      p.settle(20_000);
      assert.equal(rl.snapshot('k').estimateScale, 4);
    });

    it('learns the scale from the input-token headers of the first response, before its usage arrives', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const first = await rl.acquire('anthropic/m', {}, 100, { maxOutputTokens: 50 });
      first.adapt({ 'anthropic-ratelimit-input-tokens-limit': '1000', 'anthropic-ratelimit-input-tokens-remaining': '860', 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '49' });
      assert.equal(rl.snapshot('anthropic/m').estimateScale, 1.4, '140 counted for an estimate of 100');
      first.settle(141, 20);
      assert.equal(rl.snapshot('anthropic/m').estimateScale, 1.41, 'the usage replaces the header count, once');
    });

    it("does not hold a request's own shortfall back twice: once in the headers' gap and again when it settles", async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const p = await rl.acquire('k', { tpm: 1000, tpmBasis: 'input' }, 100);
      // The provider counted 150 (it reports 850 left): 50 more than reserved, held back until the usage arrives.
      p.adapt({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '850', 'x-ratelimit-reset-tokens': '60s' });
      assert.equal(rl.snapshot('k').tpmUsed, 150);
      p.settle(150);
      assert.equal(rl.snapshot('k').tpmUsed, 150, 'the real 150, not 150 + the 50 held back');
    });

    it('learns from response headers and holds back until the reported reset', async () => {
      const clock = new ManualClock();
      const rl = new RateLimiter(clock);
      const p = await rl.acquire('k', {}, 100);
      p.adapt({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' });
      p.release();
      let got = false;
      void rl.acquire('k', {}, 100).then(() => (got = true));
      await clock.advance(1999);
      assert.equal(got, false);
      await clock.advance(1);
      assert.equal(got, true);
      assert.equal(rl.snapshot('k').rpmLimit, 3);
    });
  });

  it('takeTurns: calls started together each get a turn of the event loop of their own', async () => {
    const turn = takeTurns();
    const log: string[] = [];
    const a = turn().then(() => {
      log.push('a');
      setImmediate(() => log.push('queued in a\'s turn'));
    });
    const b = turn().then(() => log.push('b'));
    await Promise.all([a, b]);
    assert.deepEqual(log, ['a', "queued in a's turn", 'b']);
  });
});
