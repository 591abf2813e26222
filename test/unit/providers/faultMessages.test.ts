import '../host/vscodeStub';
import assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/errors';
import { toProviderError, type AttemptContext, type Failure } from '../../../src/core/providers/errorMapping';
import { describeError } from '../../../src/host/util/errors';

const ctx = (over: Partial<AttemptContext> = {}): AttemptContext => ({
  provider: 'openai',
  model: 'gpt-4o',
  baseUrl: 'https://proxy.example.com/openai',
  timedOut: false,
  userAborted: false,
  responseStarted: false,
  partialText: '',
  ...over,
});

const page = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** fetch's failure for a name that does not resolve: TypeError('fetch failed') caused by an Error with a code. */
function dnsFailure(code: string): Failure {
  const inner = Object.assign(new Error(`getaddrinfo ${code} tierwise-nonexistent.invalid`), { code });
  const fetchFailed = new TypeError('fetch failed', { cause: inner });
  const sdk = Object.assign(new Error('Connection error.'), { cause: fetchFailed });
  return { cls: 'connection', message: sdk.message, cause: sdk };
}

describe('fault messages', () => {
  it('an HTML 404 page says the base URL looks wrong and names the setting, not the model', () => {
    const err = toProviderError({ cls: 'api', status: 404, headers: { 'content-type': 'text/html' }, message: `404 ${page}`, cause: new Error('404') }, ctx());
    assert.equal(err.kind, 'notFound');
    assert.equal(err.code, 'html_response');
    assert.match(err.message, /proxy\.example\.com answered HTTP 404 with an HTML page/);
    assert.match(err.message, /base URL https:\/\/proxy\.example\.com\/openai looks wrong/);
    assert.match(err.message, /tierwise\.providers\.openai\.baseUrl/);
    const shown = describeError(err, { model: 'gpt-4o', settingHint: 'tierwise.tiers.openai.medium' }).message;
    assert.doesNotMatch(shown, /does not know the model/);
    assert.doesNotMatch(shown, /<html|nginx/);
    assert.match(shown, /tierwise\.providers\.openai\.baseUrl/);
  });

  it('a JSON 404 from the API is still about the model', () => {
    const err = toProviderError({ cls: 'api', status: 404, headers: { 'content-type': 'application/json' }, body: { message: 'The model `gpt-x` does not exist', code: 'model_not_found' }, message: '404 The model', cause: new Error('404') }, ctx());
    assert.notEqual(err.code, 'html_response');
    assert.match(describeError(err, { model: 'gpt-x', settingHint: 'tierwise.tiers.openai.medium' }).message, /does not know the model "gpt-x".*tierwise\.tiers\.openai\.medium/);
  });

  it('a host that does not resolve is named, with the setting', () => {
    const err = toProviderError(dnsFailure('ENOTFOUND'), ctx({ baseUrl: 'http://tierwise-nonexistent.invalid/v1' }));
    assert.equal(err.kind, 'network');
    assert.match(err.message, /The host name tierwise-nonexistent\.invalid does not resolve \(DNS ENOTFOUND\)/);
    assert.match(err.message, /tierwise\.providers\.openai\.baseUrl \(now http:\/\/tierwise-nonexistent\.invalid\/v1\)/);
  });

  it('an open circuit breaker says Tierwise is pausing the provider, and for how long', () => {
    const err = new ProviderError({ kind: 'server', code: 'circuitOpen', message: 'openai skipped: circuit open after repeated failures (24 s left)', provider: 'openai', model: 'gpt-4o' });
    assert.equal(describeError(err, { model: 'gpt-4o', settingHint: 'x' }).message, 'Tierwise is pausing requests to OpenAI after repeated failures (for 24 s more). Try again then, or pick another provider or model (a fallback in tierwise.fallback is tried automatically).');
  });

  it('a refused connection says nothing is listening', () => {
    const err = toProviderError(dnsFailure('ECONNREFUSED'), ctx({ provider: 'openaiCompatible', baseUrl: 'http://127.0.0.1:11434/v1' }));
    assert.match(err.message, /Nothing is listening at 127\.0\.0\.1:11434 \(connection refused\).*tierwise\.providers\.openaiCompatible\.baseUrl/);
  });
});
