import assert from 'node:assert/strict';
import { describeProviderError, ProviderError } from '../../../src/core/errors';
import { english, fill, formatMessage, type Message } from '../../../src/core/messages';
import { missingKeyError, toProviderError, type AttemptContext, type Failure } from '../../../src/core/providers/errorMapping';

const ctx = (over: Partial<AttemptContext> = {}): AttemptContext => ({
  provider: 'openai',
  model: 'gpt-4o',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-test-secret-1234',
  timedOut: false,
  userAborted: false,
  responseStarted: false,
  partialText: '',
  ...over,
});
const api = (status: number, body: unknown, headers: Record<string, string> = {}): Failure => ({ cls: 'api', status, body, headers, message: `${status} error`, cause: new Error(String(status)) });
/** The ids of a message and of the messages nested in it, outermost first. */
const ids = (m: Message): string[] => [m.id, ...m.args.flatMap((a) => (typeof a === 'object' ? ids(a) : []))];
const shown = (e: ProviderError) => describeProviderError(e, { model: 'gpt-4o', settingHint: 'tierwise.tiers.openai.medium' });

describe('provider errors as catalogue messages', () => {
  it('a 401 carries its message, and English reads as before', () => {
    const e = toProviderError(api(401, { message: 'Incorrect API key provided: sk-test-secret-1234' }, { 'x-request-id': 'req_1' }), ctx());
    assert.equal(e.kind, 'auth');
    assert.deepEqual(ids(e.text!), ['errors.withRequest', 'errors.withDetail', 'errors.auth']);
    assert.equal(e.message, 'OpenAI rejected the API key (HTTP 401). Check the key in Tierwise settings. OpenAI said: Incorrect API key provided: *** (request req_1)');
    assert.equal(english(e.text!), e.message);
    // The key is masked in the arguments too, so no language shows it.
    assert.doesNotMatch(formatMessage(e.text!, (t, a) => fill(t, a)), /secret/);
    const s = shown(e);
    assert.deepEqual(ids(s), ['errors.shown.requestId', 'errors.shown.auth']);
    assert.equal(english(s), 'OpenAI rejected the API key (401). Run "Tierwise: Set API Key…" to replace it. (request id req_1)');
  });

  it('a rate limit, a context overflow and a dropped connection carry their ids', () => {
    const rate = toProviderError(api(429, { message: 'Rate limit reached', code: 'rate_limit_exceeded' }, { 'retry-after': '7' }), ctx());
    assert.equal(rate.kind, 'rateLimit');
    assert.deepEqual(ids(rate.text!), ['errors.withDetail', 'errors.rateLimit.retryAfter']);
    assert.equal(rate.message, 'OpenAI rate limit reached for gpt-4o; retry after 7 s. OpenAI said: Rate limit reached');

    const long = toProviderError(api(400, { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", code: 'context_length_exceeded' }), ctx());
    assert.equal(long.kind, 'contextLength');
    assert.equal(long.text!.id, 'errors.contextLength.both');
    assert.equal(english(long.text!), long.message);
    assert.match(long.message, /^The prompt is too long for gpt-4o: 130000 tokens, the context window is 128000 tokens\. Shorten the input/);

    const refused = toProviderError({ cls: 'connection', message: 'Connection error.', cause: Object.assign(new Error('Connection error.'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }) }, ctx({ baseUrl: 'http://127.0.0.1:11434/v1', provider: 'openaiCompatible' }));
    assert.equal(refused.text!.id, 'errors.network.refused');
    assert.equal(refused.message, 'Nothing is listening at 127.0.0.1:11434 (connection refused). If it is a local server, start it; otherwise check the setting tierwise.providers.openaiCompatible.baseUrl.');

    const cut = toProviderError({ cls: 'other', message: 'terminated', cause: new Error('terminated') }, ctx({ partialText: 'Hello wor' }));
    assert.equal(cut.kind, 'streamInterrupted');
    assert.equal(cut.text!.id, 'errors.streamInterrupted');
    assert.equal(cut.message, 'The answer from gpt-4o was cut off after 9 characters (terminated).');
    assert.deepEqual(ids(shown(cut)), ['errors.shown.partialKept', 'errors.streamInterrupted']);
    assert.equal(english(shown(cut)), 'The answer from gpt-4o was cut off after 9 characters (terminated). The partial answer is kept.');
  });

  it('a missing key, and an error worded in English only, are shown as messages', () => {
    const missing = missingKeyError('dashscope', 'qwen-plus');
    assert.equal(missing.text!.id, 'errors.missingKey');
    assert.equal(missing.message, 'No API key is set for DashScope (Qwen). Add one in Tierwise settings.');
    assert.equal(shown(missing).id, 'errors.shown.missingKey');
    assert.equal(english(shown(missing)), 'No API key is set for DashScope (Qwen). Run "Tierwise: Set API Key…".');

    const plain = new ProviderError({ kind: 'unknown', message: 'Something odd', provider: 'openai', requestId: 'r2' });
    assert.equal(plain.text, undefined);
    assert.deepEqual(ids(shown(plain)), ['errors.shown.requestId', 'common.asIs']);
    assert.equal(english(shown(plain)), 'Something odd (request id r2)');

    const idle = new ProviderError({ kind: 'timeout', code: 'idleTimeout', message: 'Timed out (no data for 30 s)', provider: 'anthropic' });
    assert.deepEqual(ids(shown(idle)), ['errors.shown.raiseTimeout', 'errors.shown.stoppedSendingFor']);
    assert.equal(english(shown(idle)), 'Anthropic stopped sending (no data for 30 s). If gpt-4o is slow rather than stuck, raise the setting tierwise.timeouts.idleMs.');
  });
});
