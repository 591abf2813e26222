import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import { describeProviderError, ProviderError } from '../../../src/core/errors';
import { CATALOGUE, english, fill, formatMessage, isMessage, msg, type Message } from '../../../src/core/messages';
import { CallRunner, circuitOpenError } from '../../../src/core/resilience/pipeline';
import type { CallEvent, CallOutcome } from '../../../src/core/resilience/pipeline';
import { describeRetry } from '../../../src/core/resilience/retry';
import { resolveResilienceSettings, type ResilienceSettingsInput } from '../../../src/core/resilience/settings';
import type { ChatRequest, ProviderId } from '../../../src/core/types';
import { ScriptedProvider, type Step } from './scripted';

const req = (provider: ProviderId, model: string): ChatRequest => ({ provider, model, messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 });

function setup(scripts: Partial<Record<ProviderId, Step[]>>, settings: ResilienceSettingsInput = {}) {
  const clock = new ManualClock(1_000_000);
  const providers = new Map<ProviderId, ScriptedProvider>();
  for (const [id, steps] of Object.entries(scripts)) providers.set(id as ProviderId, new ScriptedProvider(id as ProviderId, steps, clock));
  const runner = new CallRunner({ clock, providerFor: (p) => providers.get(p)!, settings: resolveResilienceSettings(settings), estimateTokens: () => 10, random: () => 0 });
  const events: CallEvent[] = [];
  const start = (candidates: ChatRequest[]) => {
    let outcome: CallOutcome | undefined;
    const done = runner.run(candidates, (e) => events.push(e)).then((o) => (outcome = o));
    return { done, outcome: (): CallOutcome | undefined => outcome };
  };
  return { clock, events, start };
}

/** Every id in a message, nested ones too, depth first. */
const ids = (m: Message): string[] => [m.id, ...m.args.filter(isMessage).flatMap(ids)];
/** A stand-in display language: each template in brackets, so a word outside the catalogue shows up bare. */
const bracketed = (m: Message): string => formatMessage(m, (t, args) => `[${fill(t, args)}]`);
const shown = (e: ProviderError) => describeProviderError(e, { model: 'gpt', settingHint: 'tierwise.tiers.openai.medium' });

describe('resilience messages', () => {
  it('a watchdog timeout is a message whose wait is an argument, and the shown error takes it from there', async () => {
    const t = setup({ openai: [{ stallAfter: '' }, { stallAfter: 'Some text' }] }, { retry: { maxRetries: 1 }, timeouts: { connectMs: 1000, firstTokenMs: 2000, idleMs: 3000 } });
    const run = t.start([req('openai', 'gpt')]);
    await flushMicrotasks();
    await t.clock.advance(2000);
    const retry = t.events.find((e) => e.type === 'retry');
    assert.ok(retry && retry.type === 'retry');
    assert.deepEqual(ids(retry.error.text!), ['errors.call.timedOut', 'errors.call.noText']);
    assert.equal(retry.error.message, 'Timed out (no text within 2000 ms of the response)');
    assert.deepEqual(ids(retry.text), ['errors.call.retrying', 'errors.retry.timeout']);
    assert.equal(retry.message, english(retry.text));
    assert.equal(retry.message, 'timed out, retrying in 1.0 s (retry 1 of 1)');

    await t.clock.advance(1000);
    await t.clock.advance(3000);
    await run.done;
    const err = run.outcome()!.error!;
    assert.equal(err.message, 'Timed out (stream stalled: nothing for 3000 ms)');
    assert.deepEqual(ids(shown(err)), ['errors.shown.partialKept', 'errors.shown.raiseTimeout', 'errors.shown.stoppedSendingFor', 'errors.call.stalled']);
    assert.equal(english(shown(err)), 'OpenAI stopped sending (stream stalled: nothing for 3000 ms). If gpt is slow rather than stuck, raise the setting tierwise.timeouts.idleMs. The partial answer is kept.');
    assert.equal(bracketed(shown(err)), '[[[OpenAI stopped sending ([stream stalled: nothing for 3000 ms]).] If gpt is slow rather than stuck, raise the setting tierwise.timeouts.idleMs.] The partial answer is kept.]');
  });

  it("the SDK's timeout shows its wait from the message's arguments too", () => {
    const err = new ProviderError({ kind: 'timeout', text: msg('errors.withRequest', msg('errors.timeout.noData', 'OpenAI', 30000), 'req_1'), provider: 'openai', requestId: 'req_1' });
    assert.deepEqual(ids(shown(err)), ['errors.shown.requestId', 'errors.shown.timeoutFor', 'errors.call.noData']);
    assert.equal(english(shown(err)), 'OpenAI did not answer in time (no data for 30000 ms). (request id req_1)');
  });

  it('an open circuit: the skip, its error and the shown sentence are messages, the seconds an argument', async () => {
    const fails = Array.from({ length: 3 }, () => ({ fail: 'server' as const, status: 500 }));
    const t = setup({ openai: fails, anthropic: [{ ok: 'a1' }, { ok: 'a2' }] }, { retry: { maxRetries: 2 }, breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
    const chain = [req('openai', 'gpt'), req('anthropic', 'claude')];
    const first = t.start(chain);
    await t.clock.runAll();
    await first.done;
    const left = t.events.find((e) => e.type === 'fallback');
    assert.ok(left && left.type === 'fallback');
    assert.deepEqual(ids(left.reasonText), ['errors.call.leftStatusAfter', 'errors.kind.server', 'common.asIs']);
    assert.equal(left.reason, '500 server after 3 attempts: server');

    t.events.length = 0;
    await t.start(chain).done;
    const skipped = t.events.find((e) => e.type === 'skipped');
    assert.ok(skipped && skipped.type === 'skipped');
    assert.equal(skipped.reasonText.id, 'errors.call.circuitOpenFor');
    assert.equal(skipped.reason, 'circuit open after repeated failures (60 s left)');
    const fb = t.events.find((e) => e.type === 'fallback');
    assert.ok(fb && fb.type === 'fallback');
    assert.equal(fb.reason, skipped.reason);
    assert.equal(fb.error?.code, 'circuitOpen');
    assert.equal(fb.error?.message, 'openai skipped: circuit open after repeated failures (60 s left)');
    assert.equal(shown(fb.error!).id, 'errors.shown.circuitOpenFor');
    assert.deepEqual(shown(fb.error!).args, ['OpenAI', 60]);
  });

  it('a circuit open without a wait is shown without one', () => {
    const err = circuitOpenError('openai', 'gpt', msg('errors.call.circuitOpen'));
    assert.equal(err.message, 'openai skipped: circuit open after repeated failures');
    assert.equal(shown(err).id, 'errors.shown.circuitOpen');
  });

  it('queued reasons are messages with the English the events always had', async () => {
    const t = setup({ openai: [{ ok: 'a' }, { ok: 'b' }] }, { limits: { openai: { rpm: 1 } } });
    await t.start([req('openai', 'gpt')]).done;
    void t.start([req('openai', 'gpt')]);
    await flushMicrotasks();
    const queued = t.events.find((e) => e.type === 'queued');
    assert.ok(queued && queued.type === 'queued');
    assert.equal(queued.reasonText.id, 'errors.call.queuedRateLimit');
    assert.equal(queued.reason, 'queued (rate limit)');
  });

  it('a retry names the kind through a label, or the kind id where there is none', () => {
    const e = (kind: 'overloaded' | 'rateLimit', status?: number) => new ProviderError({ kind, status, message: kind, provider: 'openai' });
    assert.equal(english(describeRetry(e('overloaded', 529), 1500, 2, 4)), '529 overloaded, retrying in 1.5 s (retry 2 of 4)');
    assert.deepEqual(ids(describeRetry(e('overloaded', 529), 1500, 2, 4)), ['errors.call.retrying', 'errors.call.withStatus', 'errors.kind.overloaded']);
    assert.equal(english(describeRetry(e('rateLimit'), 2000, 1, 4)), 'rate limited, retrying in 2.0 s (retry 1 of 4)');
  });

  it('every kind of failure has its id as English name', () => {
    for (const [id, template] of Object.entries(CATALOGUE) as [string, string][]) {
      if (id.startsWith('errors.kind.')) assert.equal(template, id.slice('errors.kind.'.length));
    }
  });
});
