import * as assert from 'node:assert/strict';
import { FAKE_MODELS } from '../fake-provider/server';
import { MODEL_LISTS_KEY } from '../../src/host/setup/modelLists';
import { fakeRequests, fakeReset, setting, shownFix, tierwise, until } from './helpers';

const KEY = 'sk-test-model-lists-dashscope-0123456789';

suite("The providers' model lists", () => {
  setup(fakeReset);
  suiteTeardown(async () => {
    const app = await tierwise();
    app.services.modelLists.stop();
    await setting('tiers.dashscope.simple', undefined);
    await setting('provider', 'openai');
    await app.keys.clear('dashscope');
  });

  test('a DashScope tier model the provider does not list is named by Check Setup and the status bar tooltip, before anything is sent', async () => {
    const app = await tierwise();
    await app.keys.set('dashscope', KEY);
    await setting('provider', 'dashscope');
    await setting('tiers.dashscope.simple', 'qwen-gone');

    const results = await app.setup.check();
    const ds = results.find((r) => r.provider === 'dashscope');
    assert.ok(ds, results.map((r) => r.provider).join(', '));
    const missing = ds.items.filter((i) => i.area === 'models' && i.state === 'problem');
    assert.equal(missing.length, 1, JSON.stringify(ds.items));
    assert.match(missing[0]!.text, /^"qwen-gone" \(simple tier, tierwise\.tiers\.dashscope\.simple\) is not in DashScope \(Qwen\)'s model list for this key \(\d+ models listed\)\. Closest listed: /);
    assert.deepEqual(shownFix(missing[0]!.fix), { title: 'Open Setting', command: 'workbench.action.openSettings', args: ['tierwise.tiers.dashscope.simple'] });
    const listing = (await fakeRequests()).find((r) => r.method === 'GET' && r.path === '/compatible-mode/v1/models');
    assert.equal(listing?.headers.authorization, `Bearer ${KEY}`, "listed at the configured DashScope endpoint with the user's key");

    // The list Check Setup read is the day's list: the request path's port and the tooltip use it.
    assert.deepEqual(app.services.modelLists.listedModels('dashscope')?.ids, [...FAKE_MODELS.dashscope]);
    const tip = await until('the tooltip notice', () => {
      const v = app.statusBar.tooltip().value;
      return v.includes("qwen-gone (simple tier) is not in DashScope's model list for this key (read ") && v;
    });
    assert.ok(tip.includes('](command:tierwise.checkSetup)'), 'a link to Check Setup');
    const stored = JSON.stringify(app.context.globalState.get(MODEL_LISTS_KEY));
    assert.ok(stored.includes('qwen3.7-flash') && !stored.includes(KEY), 'kept without the key');

    // Background reads: fresh for a day, so nothing is read again; forced, the same destination and key.
    await fakeReset();
    await app.services.modelLists.refresh();
    assert.equal((await fakeRequests()).filter((r) => r.path.endsWith('/models')).length, 0, 'a fresh list is not read again');
    await app.services.modelLists.refresh({ force: true });
    const again = (await fakeRequests()).filter((r) => r.path.endsWith('/models'));
    assert.ok(again.some((r) => r.path === '/compatible-mode/v1/models' && r.headers.authorization === `Bearer ${KEY}`), JSON.stringify(again.map((r) => r.path)));

    // Back to a listed model: the notice goes.
    await setting('tiers.dashscope.simple', undefined);
    await until('the notice to go', () => !app.statusBar.tooltip().value.includes('qwen-gone'));
  });
});
