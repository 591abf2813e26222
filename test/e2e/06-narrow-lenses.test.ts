import assert from 'node:assert/strict';
import { e2e, openFile, runCommand, screenshot } from './harness';

/** Per visible editor: how far its top lens line (the one with ▶ Run) reaches, and where its text area ends. */
interface LensFit {
  items: string[];
  lensRight: number;
  textRight: number;
}

describe('Prompt-file lenses in a narrow editor', () => {
  it('at three columns in a 1280 px window, the top lens line starts with ▶ Run and fits in each column', async () => {
    const { page } = e2e();
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'View: Single Column Editor Layout');
      await openFile(page, 'sentiment-classifier.prompt.md');
      await page.locator('.codelens-decoration', { hasText: /tok/ }).first().waitFor({ timeout: 30_000 });
      await runCommand(page, 'View: Split Editor');
      await runCommand(page, 'View: Split Editor');
      await runCommand(page, 'View: Reset Editor Group Sizes');
      // Every column shows the counted lenses (the count, not "counting tokens…").
      await page.waitForFunction(
        () => [...document.querySelectorAll('.editor-group-container')].filter((g) => [...g.querySelectorAll('.codelens-decoration')].some((d) => /Σ .*tok/.test(d.textContent ?? ''))).length === 3,
        null,
        { timeout: 30_000 },
      );
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
