import * as assert from 'node:assert/strict';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/server';
import { cases, scenario, utilisation } from '../../../bench/limits/sim';

// bench/limits runs on a simulated clock and counts 429s, so its goals do not depend on the machine: they are
// asserted here, scenario by scenario, with Tierwise's rough estimate and with estimates 30 % under and over.
describe('rate-limit simulation (bench/limits)', function () {
  this.timeout(60_000);
  let fake: FakeProvider;
  before(async () => {
    fake = await startFakeProvider();
  });
  after(async () => {
    await fake.close();
  });

  for (const c of cases()) {
    it(`${c.title}: ${c.goal}`, async () => {
      const s = await scenario(fake, c.settings, c.options);
      assert.deepEqual(c.check(s), [], `${s.rateLimited} 429s, ${(utilisation(s) * 100).toFixed(1)} % of the binding limit, ${s.completed} completed`);
    });
  }
});
