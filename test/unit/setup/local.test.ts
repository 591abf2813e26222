import assert from 'node:assert/strict';
import { discoverLocalServers, gatewayBudget, gatewayBudgetOf, gatewayReportedCost, isLoopbackUrl, listModels, serverTokenCount, type FetchPort } from '../../../src/core/setup/local';

type Route = (url: URL, init: { method?: string; body?: string; headers?: Record<string, string> }) => { status: number; body: unknown } | undefined;

/** A fetch that answers from `route`; anything else is a refused connection, as on a closed port. */
function fakeFetch(route: Route): { fetch: FetchPort; calls: { url: string; method: string; headers?: Record<string, string> }[] } {
  const calls: { url: string; method: string; headers?: Record<string, string> }[] = [];
  const fetch: FetchPort = async (url, init = {}) => {
    calls.push({ url, method: init.method ?? 'GET', headers: init.headers });
    const r = route(new URL(url), init);
    if (!r) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    return { ok: r.status < 400, status: r.status, headers: { get: () => null }, json: async () => r.body };
  };
  return { fetch, calls };
}

describe('setup: local servers and gateways', () => {
  it('recognises loopback URLs only', () => {
    for (const u of ['http://localhost:11434/v1', 'http://127.0.0.1:8080', 'http://[::1]:1234/v1', 'http://127.1.2.3:8000/v1']) assert.ok(isLoopbackUrl(u), u);
    for (const u of ['https://litellm.example.com/v1', 'http://10.0.0.5:4000', 'http://localhost.evil.com/v1', 'not a url', '', undefined]) assert.ok(!isLoopbackUrl(u), String(u));
  });

  it('finds the servers on their (configured) ports and lists their models, Ollama through /api/tags too', async () => {
    const { fetch, calls } = fakeFetch((u) => {
      if (u.port === '21434' && u.pathname === '/v1/models') return { status: 200, body: { data: [] } };
      if (u.port === '21434' && u.pathname === '/api/tags') return { status: 200, body: { models: [{ name: 'llama3.2:latest' }, { name: 'qwen2.5-coder:7b' }] } };
      if (u.port === '28000' && u.pathname === '/v1/models') return { status: 200, body: { object: 'list', data: [{ id: 'Qwen/Qwen2.5-7B-Instruct' }] } };
      return undefined;
    });
    const found = await discoverLocalServers(fetch, { ports: { ollama: 21434, lmstudio: 21234, llamacpp: 28080, vllm: 28000 } });
    assert.deepEqual(
      found.map((f) => [f.kind.id, f.baseUrl, f.models]),
      [
        ['ollama', 'http://127.0.0.1:21434/v1', ['llama3.2:latest', 'qwen2.5-coder:7b']],
        ['vllm', 'http://127.0.0.1:28000/v1', ['Qwen/Qwen2.5-7B-Instruct']],
      ],
    );
    assert.ok(calls.every((c) => new URL(c.url).hostname === '127.0.0.1'), 'discovery stays on loopback');
    assert.ok(!calls.some((c) => ['11434', '1234', '8080', '8000'].includes(new URL(c.url).port)), 'the default ports are not probed when others are set');
  });

  it('lists a gateway\'s models with its key, and throws when the endpoint is unreachable', async () => {
    const { fetch, calls } = fakeFetch((u) => (u.host === 'gw.test' && u.pathname === '/v1/models' ? { status: 200, body: { data: [{ id: 'team-fast' }, { id: 'team-smart' }] } } : undefined));
    assert.deepEqual(await listModels(fetch, 'https://gw.test/v1/', { apiKey: 'sk-team' }), ['team-fast', 'team-smart']);
    assert.equal(calls[0]!.headers?.authorization, 'Bearer sk-team');
    await assert.rejects(listModels(fetch, 'http://127.0.0.1:9/v1'), /fetch failed/);
  });

  it('counts tokens on servers that can (llama.cpp, vLLM) and says so otherwise', async () => {
    const { fetch } = fakeFetch((u, init) => {
      if (u.port === '8080' && u.pathname === '/tokenize') return { status: 200, body: { tokens: [1, 2, 3, 4] } };
      if (u.port === '8000' && u.pathname === '/tokenize') return { status: 200, body: { count: 7, max_model_len: 32768, tokens: [9, 9, 9, 9, 9, 9, 9] } };
      if (u.port === '11434') return { status: 404, body: { error: 'not found' } };
      void init;
      return undefined;
    });
    assert.equal(await serverTokenCount(fetch, 'http://127.0.0.1:8080/v1', 'm', 'hello world'), 4);
    assert.equal(await serverTokenCount(fetch, 'http://127.0.0.1:8000/v1', 'm', 'hello world'), 7);
    assert.equal(await serverTokenCount(fetch, 'http://127.0.0.1:11434/v1', 'm', 'hello world'), undefined);
    assert.equal(await serverTokenCount(fetch, 'http://127.0.0.1:1/v1', 'm', 'hello world'), undefined);
  });

  it('reads a LiteLLM key budget and cost header', async () => {
    assert.deepEqual(gatewayBudgetOf({ key: 'sk-…', info: { spend: 8.5, max_budget: 10 } }), { spendUsd: 8.5, maxBudgetUsd: 10, fraction: 0.85, level: 'warn' });
    assert.equal(gatewayBudgetOf({ info: { spend: 1, max_budget: null } })?.level, 'ok');
    assert.equal(gatewayBudgetOf({ info: { spend: 12, max_budget: 10 } })?.level, 'over');
    assert.equal(gatewayBudgetOf({ detail: 'no such route' }), undefined);
    const { fetch } = fakeFetch((u) => (u.pathname === '/key/info' ? { status: 200, body: { info: { spend: 2, max_budget: 4 } } } : undefined));
    assert.equal((await gatewayBudget(fetch, 'https://gw.test/v1', 'sk'))?.fraction, 0.5);
    assert.equal(await gatewayBudget(fakeFetch(() => undefined).fetch, 'https://gw.test/v1', 'sk'), undefined);
    assert.equal(gatewayReportedCost({ 'x-litellm-response-cost': '0.00042' }), 0.00042);
    assert.equal(gatewayReportedCost({ 'x-litellm-response-cost': 'n/a' }), undefined);
    assert.equal(gatewayReportedCost({}), undefined);
  });
});
