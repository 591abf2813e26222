import assert from 'node:assert/strict';
import { english } from '../../../src/core/messages';
import { ProviderError } from '../../../src/core/errors';
import type { ErrorKind } from '../../../src/core/errors';
import {
  backoffDelayMs,
  describeRetry,
  parseDuration,
  parseResetMs,
  rateLimitResetMs,
  retryDelay,
  serverRequestedDelayMs,
  shouldRetry,
} from '../../../src/core/resilience/retry';
import { resolveResilienceSettings } from '../../../src/core/resilience/settings';

function err(kind: ErrorKind, status?: number, headers: Record<string, string> = {}, partialText?: string): ProviderError {
  return new ProviderError({ kind, status, headers, message: `${kind}`, provider: 'openai', model: 'm', partialText });
}

const opts = { initialDelayMs: 1000, maxDelayMs: 30_000, maxServerDelayMs: 60_000, random: () => 0 };

describe('resilience/retry', () => {
  describe('shouldRetry', () => {
    const retryable: [ErrorKind, number | undefined][] = [
      ['requestTimeout', 408],
      ['conflict', 409],
      ['rateLimit', 429],
      ['server', 500],
      ['server', 502],
      ['server', 503],
      ['server', 504],
      ['overloaded', 529],
      ['network', undefined],
      ['timeout', undefined],
    ];
    for (const [kind, status] of retryable) {
      it(`retries ${kind} ${status ?? ''}`, () => assert.equal(shouldRetry(err(kind, status)).retry, true));
    }
    const final: [ErrorKind, number | undefined][] = [
      ['badRequest', 400],
      ['auth', 401],
      ['permission', 403],
      ['notFound', 404],
      ['badRequest', 422],
      ['contextLength', 400],
      ['quota', 429],
      ['missingKey', undefined],
      ['aborted', undefined],
      ['streamInterrupted', undefined],
    ];
    for (const [kind, status] of final) {
      it(`does not retry ${kind} ${status ?? ''}`, () => assert.equal(shouldRetry(err(kind, status)).retry, false));
    }
    it('honours x-should-retry in both directions', () => {
      assert.equal(shouldRetry(err('server', 500, { 'x-should-retry': 'false' })).retry, false);
      assert.equal(shouldRetry(err('rateLimit', 429, { 'x-should-retry': 'false' })).retry, false);
      assert.equal(shouldRetry(err('badRequest', 400, { 'x-should-retry': 'true' })).retry, true);
    });
    it('never retries quota or auth, even when the server says so', () => {
      assert.equal(shouldRetry(err('quota', 429, { 'x-should-retry': 'true' })).retry, false);
      assert.equal(shouldRetry(err('auth', 401, { 'x-should-retry': 'true' })).retry, false);
    });
    it('never retries once text has streamed', () => {
      assert.equal(shouldRetry(err('server', 500, {}, 'Hello')).retry, false);
    });
    it('retries an unmapped error by its status', () => {
      assert.equal(shouldRetry(err('unknown', 503)).retry, true);
      assert.equal(shouldRetry(err('unknown', 418)).retry, false);
    });
  });

  describe('backoff', () => {
    it('doubles from the initial delay and stops at the cap', () => {
      const o = { initialDelayMs: 1000, maxDelayMs: 30_000, random: () => 0 };
      assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, o)), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    });
    it('takes up to 25 % off for jitter', () => {
      assert.equal(backoffDelayMs(1, { initialDelayMs: 1000, maxDelayMs: 30_000, random: () => 0.999999 }), 750);
      assert.equal(backoffDelayMs(3, { initialDelayMs: 1000, maxDelayMs: 30_000, random: () => 0.5 }), 3500);
    });
    it('follows a configured initial delay', () => {
      const o = { initialDelayMs: 10, maxDelayMs: 30_000, random: () => 0 };
      assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelayMs(n, o)), [10, 20, 40, 80]);
    });
    it('uses the backoff when the server gives no hint', () => {
      assert.deepEqual(retryDelay(err('server', 503), 2, 0, opts), { delayMs: 2000, source: 'backoff' });
    });
  });

  describe('server-requested waits', () => {
    it('reads retry-after in seconds', () => {
      assert.equal(serverRequestedDelayMs({ 'retry-after': '2' }, 0), 2000);
      assert.equal(serverRequestedDelayMs({ 'retry-after': '0.5' }, 0), 500);
    });
    it('reads retry-after-ms first', () => {
      assert.equal(serverRequestedDelayMs({ 'retry-after-ms': '1500', 'retry-after': '9' }, 0), 1500);
    });
    it('reads retry-after as an HTTP date', () => {
      const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
      assert.equal(serverRequestedDelayMs({ 'retry-after': 'Wed, 21 Oct 2026 07:28:07 GMT' }, now), 7000);
      assert.equal(serverRequestedDelayMs({ 'retry-after': 'Wed, 21 Oct 2026 07:27:00 GMT' }, now), 0);
    });
    it('ignores garbage', () => {
      assert.equal(serverRequestedDelayMs({ 'retry-after': 'soon' }, 0), undefined);
      assert.equal(serverRequestedDelayMs({ 'retry-after-ms': 'x' }, 0), undefined);
    });
    it('overrides the computed backoff, shorter or longer', () => {
      assert.deepEqual(retryDelay(err('rateLimit', 429, { 'retry-after': '2' }), 1, 0, opts), { delayMs: 2000, source: 'retry-after' });
      assert.deepEqual(retryDelay(err('rateLimit', 429, { 'retry-after-ms': '5' }), 4, 0, opts), { delayMs: 5, source: 'retry-after' });
    });
    it('refuses a wait beyond maxServerDelayMs', () => {
      assert.equal(retryDelay(err('rateLimit', 429, { 'retry-after': '120' }), 1, 0, opts), undefined);
    });
    it('uses the reset of the exhausted rate-limit budget when longer than the backoff', () => {
      const h = { 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6.5s' };
      assert.equal(rateLimitResetMs(h, 0), 6500);
      assert.deepEqual(retryDelay(err('rateLimit', 429, h), 1, 0, opts), { delayMs: 6500, source: 'rate-limit-reset' });
      const now = Date.parse('2026-01-15T14:24:00Z');
      const a = { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2026-01-15T14:24:03Z' };
      assert.equal(rateLimitResetMs(a, now), 3000);
      assert.deepEqual(retryDelay(err('rateLimit', 429, a), 1, now, opts), { delayMs: 3000, source: 'rate-limit-reset' });
    });
  });

  describe('durations', () => {
    it('parses Go durations', () => {
      assert.equal(parseDuration('120ms'), 120);
      assert.equal(parseDuration('1s'), 1000);
      assert.equal(parseDuration('17.28s'), 17280);
      assert.equal(parseDuration('6m0s'), 360000);
      assert.equal(parseDuration('1m26.4s'), 86400);
      assert.equal(parseDuration('2'), 2000);
      assert.equal(parseDuration('later'), undefined);
    });
    it('parses RFC 3339 resets relative to now', () => {
      assert.equal(parseResetMs('2026-01-15T14:24:01.5Z', Date.parse('2026-01-15T14:24:00Z')), 1500);
    });
  });

  it('describes a retry for the status line', () => {
    assert.equal(english(describeRetry(err('rateLimit', 429), 2000, 1, 4)), '429 rate limited, retrying in 2.0 s (retry 1 of 4)');
    assert.equal(english(describeRetry(err('overloaded', 529), 1500, 2, 4)), '529 overloaded, retrying in 1.5 s (retry 2 of 4)');
  });

  it('resolves settings with defaults and clamps', () => {
    const s = resolveResilienceSettings();
    assert.equal(s.retry.maxRetries, 4);
    assert.equal(s.retry.initialDelayMs, 1000);
    assert.equal(resolveResilienceSettings({ retry: { maxRetries: 99 } }).retry.maxRetries, 10);
    assert.equal(resolveResilienceSettings({ retry: { maxRetries: -3 } }).retry.maxRetries, 0);
    const l = resolveResilienceSettings({ limits: { openai: { rpm: 120, tpm: 40000, concurrency: 0 } } }).limits.openai;
    assert.equal(l?.rpm, 120);
    assert.equal(l?.concurrency, undefined);
  });
});
