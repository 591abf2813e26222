import assert from 'node:assert/strict';
import { e2e, paletteEntries, screenshot, statusBarText } from './harness';

describe('Installed from the .vsix', () => {
  it('activates and shows its status bar item', async () => {
    const text = await statusBarText(e2e().page);
    assert.match(text, /tok|Tierwise|\$|¥/i);
    await screenshot('01-workbench-status-bar');
  });

  it('lists its commands in the palette', async () => {
    const entries = await paletteEntries(e2e().page, 'Tierwise:');
    for (const title of ['Tierwise: Set API Key…', 'Tierwise: Clear API Key…']) {
      assert.ok(entries.some((e) => e.includes(title)), `palette lacks "${title}"; it shows: ${entries.join(' | ')}`);
    }
  });

  it('keeps the walkthrough-only sample commands out of the palette, so "Explain Selection" runs Explain Selection', async () => {
    const entries = await paletteEntries(e2e().page, 'Tierwise: Explain');
    assert.ok(entries.some((e) => e.includes('Tierwise: Explain Selection')), `palette shows: ${entries.join(' | ')}`);
    assert.ok(!entries.some((e) => e.includes('Sample')), `no sample command in: ${entries.join(' | ')}`);
    assert.ok(!(await paletteEntries(e2e().page, 'Tierwise: Open a Sample')).some((e) => e.includes('Sample')));
  });
});
