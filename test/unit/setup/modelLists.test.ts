import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock';
import { msg } from '../../../src/core/messages';
import { checkProvider } from '../../../src/core/setup/check';
import type { FetchPort } from '../../../src/core/setup/local';
import {
  fetchModelList,
  isListed,
  listedShutdowns,
  missingTierModels,
  MODEL_LIST_MAX_ENTRIES,
  MODEL_LIST_RETRY_MS,
  MODEL_LIST_TTL_MS,
  ModelListError,
  ModelLists,
  shortHash,
  type JsonStorage,
} from '../../../src/core/setup/modelLists';
import { FAKE_MODELS } from '../../fake-provider/server';
import { useFakeProvider } from '../../helpers/fakeProvider';

const realFetch: FetchPort = (url, init) => fetch(url, init);
const DAY = 24 * 60 * 60 * 1000;

/** A storage that keeps the JSON value as globalState would (a copy), and counts writes. */
function memoryStorage(initial?: unknown): JsonStorage & { value: unknown; writes: number } {
  const s = {
    value: initial,
    writes: 0,
    get: () => s.value,
    set: (v: unknown) => {
      s.value = JSON.parse(JSON.stringify(v));
      s.writes++;
    },
  };
  return s;
}

describe('setup / the providers\' model lists', () => {
  const fx = useFakeProvider();
  const listings = () => fx.fake.requests.filter((r) => r.method === 'GET' && /\/models$/.test(r.path));

  describe('reading each provider\'s list over HTTP', () => {
    it('OpenAI: GET {base}/models with the bearer key, shutdown_date kept where given', async () => {
      fx.fake.setListing({ models: { openai: ['gpt-6-luna', 'gpt-4o-2024-08-06'] }, shutdownDates: { 'gpt-4o-2024-08-06': '2027-03-01' } });
      const got = await fetchModelList(realFetch, { provider: 'openai', baseUrl: fx.baseUrl('openai'), apiKey: 'sk-list-openai' });
      assert.deepEqual(got, { ids: ['gpt-6-luna', 'gpt-4o-2024-08-06'], shutdown: { 'gpt-4o-2024-08-06': '2027-03-01' } });
      const [req] = listings();
      assert.equal(req!.path, '/v1/models');
      assert.equal(req!.headers.authorization, 'Bearer sk-list-openai');
    });

    it('Anthropic: GET /v1/models with x-api-key and anthropic-version, page after page while has_more', async () => {
      const got = await fetchModelList(realFetch, { provider: 'anthropic', baseUrl: fx.baseUrl('anthropic'), apiKey: 'sk-ant-list' }, { anthropicPageSize: 2 });
      assert.deepEqual(got.ids, [...FAKE_MODELS.anthropic]);
      const reqs = listings();
      assert.equal(reqs.length, Math.ceil(FAKE_MODELS.anthropic.length / 2), 'one request per page');
      assert.ok(reqs.every((r) => r.path === '/v1/models' && r.headers['x-api-key'] === 'sk-ant-list' && r.headers['anthropic-version'] === '2023-06-01' && r.headers.authorization === undefined));
      // Production reads pages of 1000: one request here.
      fx.fake.reset();
      assert.deepEqual((await fetchModelList(realFetch, { provider: 'anthropic', baseUrl: fx.baseUrl('anthropic'), apiKey: 'sk-ant-list' })).ids, [...FAKE_MODELS.anthropic]);
      assert.equal(listings().length, 1);
    });

    it('DashScope: GET {compatible-mode base}/models with the key', async () => {
      const got = await fetchModelList(realFetch, { provider: 'dashscope', baseUrl: fx.baseUrl('dashscope'), apiKey: 'sk-ds-list' });
      assert.deepEqual(got.ids, [...FAKE_MODELS.dashscope]);
      assert.equal(listings()[0]!.path, '/compatible-mode/v1/models');
      assert.equal(listings()[0]!.headers.authorization, 'Bearer sk-ds-list');
    });

    it('a local server or gateway: {base}/models, no key when none is set', async () => {
      const got = await fetchModelList(realFetch, { provider: 'openaiCompatible', baseUrl: fx.baseUrl('openaiCompatible') });
      assert.deepEqual(got.ids, [...FAKE_MODELS.openai, ...FAKE_MODELS.openaiCompatible]);
      assert.equal(listings()[0]!.headers.authorization, undefined);
    });

    it('an HTTP error throws with its status (Check Setup tells a rejected key from the rest)', async () => {
      fx.fake.setListing({ status: 401 });
      await assert.rejects(fetchModelList(realFetch, { provider: 'dashscope', baseUrl: fx.baseUrl('dashscope'), apiKey: 'sk-bad' }), (e: unknown) => e instanceof ModelListError && e.status === 401);
      await assert.rejects(fetchModelList(realFetch, { provider: 'anthropic', baseUrl: fx.baseUrl('anthropic'), apiKey: 'sk-bad' }), (e: unknown) => e instanceof ModelListError && e.status === 401);
    });
  });

  describe('the cache', () => {
    it('keeps a list a day per provider, base URL and key digest; the key itself is never stored', async () => {
      const clock = new ManualClock(Date.UTC(2026, 11, 7, 10, 30));
      const storage = memoryStorage();
      const lists = new ModelLists({ fetch: realFetch, clock, storage });
      const target = { provider: 'dashscope' as const, baseUrl: fx.baseUrl('dashscope'), apiKey: 'sk-ds-secret-0123456789' };
      const first = await lists.refresh(target);
      assert.deepEqual(first?.ids, [...FAKE_MODELS.dashscope]);
      assert.equal(first?.readAt, clock.now());
      assert.equal(listings().length, 1);
      assert.ok(!JSON.stringify(storage.value).includes('sk-ds-secret'), 'no key in storage');
      assert.ok(JSON.stringify(storage.value).includes(shortHash('sk-ds-secret-0123456789')), 'named by the key digest');
      assert.equal(shortHash('x').length, 12);

      await clock.advance(MODEL_LIST_TTL_MS - 1);
      assert.equal(lists.isFresh(target), true);
      await lists.refresh(target);
      assert.equal(listings().length, 1, 'fresh for a day: not read again');

      // Another key (a rotated one) is another entry: read at once.
      await lists.refresh({ ...target, apiKey: 'sk-ds-other' });
      assert.equal(listings().length, 2);
      assert.notEqual(lists.keyOf(target), lists.keyOf({ ...target, apiKey: 'sk-ds-other' }));

      await clock.advance(1);
      assert.equal(lists.isFresh(target), false, 'a day old');
      fx.fake.setListing({ models: { dashscope: ['qwen3.7-flash'] } });
      const again = await lists.refresh(target);
      assert.deepEqual(again?.ids, ['qwen3.7-flash']);
      assert.equal(listings().length, 3);

      // A new window reads the stored lists without the network.
      const reopened = new ModelLists({ fetch: () => Promise.reject(new Error('no network expected')), clock, storage });
      assert.deepEqual(reopened.get(target)?.ids, ['qwen3.7-flash']);
      assert.equal(reopened.isFresh(target), true);
    });

    it('a failed read (401, 5xx, no network) flags nothing, is not cached, and is tried again later', async () => {
      const clock = new ManualClock(1_000_000);
      const storage = memoryStorage();
      const lists = new ModelLists({ fetch: realFetch, clock, storage });
      const target = { provider: 'openai' as const, baseUrl: fx.baseUrl('openai'), apiKey: 'sk-o' };
      fx.fake.setListing({ status: 503 });
      assert.equal(await lists.refresh(target), undefined);
      assert.equal(storage.writes, 0, 'not stored as an empty list');
      assert.deepEqual(missingTierModels('openai', { simple: 'gpt-6-luna' }, lists.get(target)), [], 'unknown is not missing');
      fx.fake.setListing(undefined);
      assert.equal(await lists.refresh(target), undefined, 'not retried at once');
      assert.equal(listings().length, 1);
      await clock.advance(MODEL_LIST_RETRY_MS);
      assert.deepEqual((await lists.refresh(target))?.ids, [...FAKE_MODELS.openai, ...FAKE_MODELS.openaiCompatible], 'retried later');
      // An unreachable host: the same.
      const down = { provider: 'openai' as const, baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-o' };
      assert.equal(await lists.refresh(down), undefined);
      assert.equal(lists.get(down), undefined);
      // Forced (Check Again, a changed key) reads at once.
      fx.fake.setListing({ status: 401 });
      assert.equal(await lists.refresh(target, { force: true }), undefined);
      assert.deepEqual(lists.get(target)?.ids.length, FAKE_MODELS.openai.length + FAKE_MODELS.openaiCompatible.length, 'a failure keeps the last good list');
    });

    it('tolerates a corrupt stored value, and keeps a bounded number of lists', async () => {
      const clock = new ManualClock(5_000);
      for (const bad of [undefined, null, 'x', 42, [], { v: 1, entries: [] }, { v: 2, entries: {} }, { v: 1, entries: { a: null, b: { provider: 'openai', baseUrl: 'u', ids: 'nope', readAt: 1 }, c: { provider: 'evil', baseUrl: 'u', ids: [], readAt: 1 } } }]) {
        const lists = new ModelLists({ fetch: realFetch, clock, storage: memoryStorage(bad) });
        assert.equal(lists.get({ provider: 'openai', baseUrl: 'u' }), undefined);
        assert.deepEqual((await lists.refresh({ provider: 'openai', baseUrl: fx.baseUrl('openai'), apiKey: 'k' }))?.ids.length, FAKE_MODELS.openai.length + FAKE_MODELS.openaiCompatible.length);
      }
      const throwing = new ModelLists({ fetch: realFetch, clock, storage: { get: () => { throw new Error('broken'); }, set: () => undefined } });
      assert.equal(throwing.get({ provider: 'openai', baseUrl: 'u' }), undefined);

      const storage = memoryStorage();
      const lists = new ModelLists({ fetch: realFetch, clock, storage, hash: (k) => `h${k}` });
      for (let i = 0; i < MODEL_LIST_MAX_ENTRIES + 4; i++) {
        await clock.advance(1);
        await lists.record({ provider: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: `k${i}` }, ['gpt-6-luna']);
      }
      const entries = Object.keys((storage.value as { entries: object }).entries);
      assert.equal(entries.length, MODEL_LIST_MAX_ENTRIES);
      assert.ok(!entries.some((k) => k.endsWith('|hk0')), 'the oldest went first');
      assert.ok(entries.some((k) => k.endsWith(`|hk${MODEL_LIST_MAX_ENTRIES + 3}`)));
      assert.equal(await lists.record({ provider: 'openai', baseUrl: 'x' }, []), undefined, 'an empty list is not stored');
    });
  });

  describe('matching tier models', () => {
    it('counts an id, its dated snapshot or alias, case-insensitive, and Ollama :latest', () => {
      assert.ok(isListed('gpt-4o', ['GPT-4o-2024-08-06']));
      assert.ok(isListed('gpt-4o-2024-08-06', ['gpt-4o']));
      assert.ok(isListed('qwen-plus', ['qwen-plus-latest']));
      assert.ok(isListed('qwen-plus-latest', ['qwen-plus-2025-09-11']));
      assert.ok(isListed('claude-sonnet-4-5', ['claude-sonnet-4-5-20250929']));
      assert.ok(isListed('llama3.2', ['llama3.2:latest']));
      assert.ok(isListed('my-alias', ['real-id'], ['real-id']), 'a catalogue alias');
      assert.ok(!isListed('qwen-plus', ['qwen-plus-character', 'qwen3.7-plus']));
      assert.ok(!isListed('gpt-4o', ['gpt-4o-mini']));
    });

    it('names each missing tier model with its tier, setting and the 3 closest listed models', () => {
      const list = { ids: ['qwen3.7-flash', 'qwen3.7-plus', 'qwen-flash', 'qwen-max', 'qwen4-max'], readAt: 7 };
      const missing = missingTierModels('dashscope', { simple: 'qwen3.6-flash', medium: 'qwen3.7-plus', complex: 'QWEN4-MAX' }, list);
      assert.deepEqual(missing, [{ provider: 'dashscope', tier: 'simple', model: 'qwen3.6-flash', setting: 'tierwise.tiers.dashscope.simple', closest: ['qwen3.7-flash', 'qwen-flash', 'qwen3.7-plus'], readAt: 7 }]);
      assert.deepEqual(missingTierModels('dashscope', { simple: 'x' }, { ids: [], readAt: 1 }), [], 'an empty list says nothing');
      assert.deepEqual(listedShutdowns('openai', { simple: 'gpt-4o', medium: 'gpt-6-luna' }, { ids: ['gpt-4o', 'gpt-6-luna'], readAt: 1, shutdown: { 'gpt-4o': '2026-11-30' } }, '2026-12-07'), [
        { provider: 'openai', tier: 'simple', model: 'gpt-4o', date: '2026-11-30', past: true },
      ]);
    });

    it('Check Setup: a tier model the fake does not list is a problem naming tier, setting and the closest models, with Open Setting', async () => {
      const r = await checkProvider(
        { provider: 'dashscope', label: 'DashScope (Qwen)', needsKey: true, hasKey: true, baseUrl: fx.baseUrl('dashscope'), tierModels: ['qwen-gone', 'qwen3.7-plus', 'qwen4-max'], tiers: { simple: 'qwen-gone', medium: 'qwen3.7-plus', complex: 'qwen4-max' } },
        { listModels: () => fetchModelList(realFetch, { provider: 'dashscope', baseUrl: fx.baseUrl('dashscope'), apiKey: 'sk-ds' }), tinyCall: async () => undefined, now: () => 0 },
      );
      const models = r.items.filter((i) => i.area === 'models');
      assert.equal(models.length, 1);
      assert.equal(models[0]!.state, 'problem');
      assert.match(models[0]!.text, /^"qwen-gone" \(simple tier, tierwise\.tiers\.dashscope\.simple\) is not in DashScope \(Qwen\)'s model list for this key \(7 models listed\)\. Closest listed: qwen-plus, qwen-max, qwen4-max\.$/);
      const { titleMsg, ...fix } = models[0]!.fix!;
      assert.deepEqual(fix, { title: 'Open Setting', command: 'workbench.action.openSettings', args: ['tierwise.tiers.dashscope.simple'] });
      assert.deepEqual(titleMsg, msg('setup.fix.openSetting'));
      assert.equal(r.ok, false);
    });

    it('Check Setup: OpenAI\'s shutdown_date on a tier model is named, a past one as a problem', async () => {
      fx.fake.setListing({ models: { openai: ['gpt-6-luna', 'gpt-6.1-sol', 'gpt-6.2-astra'] }, shutdownDates: { 'gpt-6-luna': '2026-12-01', 'gpt-6.2-astra': '2027-06-30' } });
      const r = await checkProvider(
        { provider: 'openai', label: 'OpenAI', needsKey: true, hasKey: true, baseUrl: fx.baseUrl('openai'), tierModels: ['gpt-6-luna', 'gpt-6.1-sol', 'gpt-6.2-astra'], tiers: { simple: 'gpt-6-luna', medium: 'gpt-6.1-sol', complex: 'gpt-6.2-astra' }, today: '2026-12-07' },
        { listModels: () => fetchModelList(realFetch, { provider: 'openai', baseUrl: fx.baseUrl('openai'), apiKey: 'sk-o' }), tinyCall: async () => undefined, now: () => 0 },
      );
      const notes = r.items.filter((i) => i.area === 'models').map((i) => [i.state, i.text]);
      assert.deepEqual(notes, [
        ['ok', "3 models listed, including every tier's model."],
        ['problem', '"gpt-6-luna" (simple tier) was shut down on 2026-12-01, says OpenAI\'s model list.'],
        ['info', '"gpt-6.2-astra" (complex tier) shuts down on 2027-06-30, says OpenAI\'s model list.'],
      ]);
    });
  });

  it('a day is the TTL', () => assert.equal(MODEL_LIST_TTL_MS, DAY));
});
