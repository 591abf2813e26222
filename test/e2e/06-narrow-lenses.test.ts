import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2e, openFile, screenshot } from './harness';

/** Runs the palette entry titled exactly `title` (not the first entry that contains it, which may be another). */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Per visible editor: how far its top lens line (the one with ▶ Run) reaches, and where its text area ends. */
interface LensFit {
  items: string[];
  lensRight: number;
  textRight: number;
}

describe('Settings UI', () => {
  it('lists Tierwise settings in titled groups, in order', async () => {
    const { page } = e2e();
    try {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'View: Single Column Editor Layout');
      await runCommand(page, 'Preferences: Open Settings (UI)');
      // The search box has the focus when the Settings editor opens.
      await page.locator('.settings-editor .settings-header').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      await page.keyboard.type('@ext:tierwise.tierwise');
      await page.locator('.settings-editor .settings-tree-container .setting-item-category', { hasText: 'Tierwise' }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      await screenshot('12-settings-grouped');
      const toc = (await page.locator('.settings-editor .settings-toc-container .monaco-list-row').allInnerTexts()).map((t) => t.trim().replace(/\s*\(\d+\)$/, ''));
      const want = ['Providers & endpoints', 'Tiers & routing', 'Costs & budgets', 'Limits, retries & timeouts', 'Caching', 'Prompt files', 'Local models & gateways', 'Batch'];
      const shown = toc.filter((t) => want.includes(t));
      assert.deepEqual(shown, want, `table of contents: ${toc.join(' | ')}`);
    } finally {
      await runCommand(page, 'View: Close All Editors');
    }
  });
});

describe('Prompt-file lenses in a narrow editor', () => {
  it('at three columns in a 1280 px window, the top lens line starts with ▶ Run and fits in each column', async () => {
    const { page } = e2e();
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'View: Single Column Editor Layout');
      await openFile(page, 'sentiment-classifier.prompt.md');
      // An earlier test may have left the file scrolled to its end: the top lens line is at the top.
      await page.locator('.editor-instance .monaco-editor .view-lines >> visible=true').first().click();
      await page.keyboard.press('Control+Home');
      await page.locator('.codelens-decoration', { hasText: /tok/ }).first().waitFor({ timeout: 30_000 });
      await runCommand(page, 'View: Split Editor');
      await runCommand(page, 'View: Split Editor');
      await runCommand(page, 'View: Reset Editor Group Sizes');
      // Every column shows the counted lenses (the count, not "counting tokens…").
      await page
        .waitForFunction(
          () => [...document.querySelectorAll('.editor-group-container')].filter((g) => [...g.querySelectorAll('.codelens-decoration')].some((d) => /Σ .*tok/.test(d.textContent ?? ''))).length === 3,
          null,
          { timeout: 30_000 },
        )
        .catch(async (e: Error) => {
          await screenshot('06b-prompt-file-lenses-3-columns-failed');
          const groups = await page.locator('.editor-group-container').count();
          throw new Error(`${e.message} (${groups} editor groups)`);
        });
      await page.waitForTimeout(300);
      await screenshot('06b-prompt-file-lenses-3-columns');
      const fits = await page.evaluate((): LensFit[] =>
        [...document.querySelectorAll('.editor-group-container .monaco-editor')].flatMap((ed) => {
          const top = [...ed.querySelectorAll('.codelens-decoration')].find((d) => /Run/.test(d.textContent ?? ''));
          if (!top) return [];
          const guard = ed.querySelector('.overflow-guard')!.getBoundingClientRect();
          const minimap = ed.querySelector('.minimap') as HTMLElement | null;
          const mm = minimap && minimap.offsetWidth > 0 ? minimap.getBoundingClientRect().left : guard.right - 14;
          const parts = [...top.children].filter((c) => (c.textContent ?? '').trim());
          const right = Math.max(...parts.map((c) => c.getBoundingClientRect().right));
          return [{ items: parts.map((c) => (c.textContent ?? '').trim()), lensRight: right, textRight: Math.min(mm, guard.right) }];
        }),
      );
      assert.equal(fits.length, 3, JSON.stringify(fits));
      for (const f of fits) {
        assert.match(f.items[0] ?? '', /^▶ Run$/, `Run comes first: ${f.items.join(' | ')}`);
        assert.ok(f.lensRight <= f.textRight, `the top lens line ends at ${Math.round(f.lensRight)} px, past the text area's edge at ${Math.round(f.textRight)} px: ${f.items.join(' | ')}`);
      }
    } finally {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'View: Single Column Editor Layout');
      if (viewport) await page.setViewportSize(viewport);
    }
  });
});
