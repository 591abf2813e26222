/**
 * Hostile content in the webviews, in Chromium: model output built to run script, load remote content or pass for
 * a protocol message, and hostile task labels and model names in the answer panel, Compare Costs and the cost
 * report. Every payload would trip a trap if it ran: a request to a local trap server, a flag on its window and on
 * the top window, or the page title. The test asserts that no trap fired and that no request left for another host.
 */
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { e2e, openFile, readyToSend, runCommand, screenshot, selectAll, taskLabels, webviewFrame, withUserSettings } from './harness';
import { corpus, hostileNames, hostileSettings } from './hostile';

/** Every frame of the page: no trap flag on any window, no trapped title. */
async function trapsInFrames(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const f of page.frames()) {
    try {
      const r = await f.evaluate(() => ({ flag: (window as unknown as { __pwned?: unknown }).__pwned, title: document.title }));
      if (r.flag !== undefined) found.push(`${f.url()}: window.__pwned = ${String(r.flag)}`);
      if (/pwned/i.test(r.title)) found.push(`${f.url()}: title "${r.title}"`);
    } catch {
      /* detached */
    }
  }
  return found;
}

function isLocal(u: string): boolean {
  try {
    const { protocol, hostname, pathname } = new URL(u);
    if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
    // The webview's own files: VS Code's service worker answers these from the extension folder, not the network.
    if (hostname.endsWith('.vscode-resource.vscode-cdn.net')) return /\/exts\/tierwise\.tierwise-[^/]+\/(dist|media)\//.test(pathname);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return true;
  }
}

describe('Hostile content in the webviews', () => {
  const trap = () => e2e().trap;
  const requests: { url: string; frame: string; main: boolean }[] = [];
  const onRequest = (r: Request) => {
    let frame = '';
    let main = false;
    try {
      frame = r.frame().url();
      main = r.frame() === e2e().page.mainFrame();
    } catch {
      /* service worker request */
    }
    requests.push({ url: r.url(), frame, main });
  };
  let restoreSettings: (() => Promise<void>) | undefined;
  before(async () => {
    // Also when this file runs alone (TIERWISE_TEST_GREP) or first.
    await readyToSend();
    // Hostile task labels and model names, in the user settings for this suite only.
    await openFile(e2e().page, 'sample.ts');
    await selectAll(e2e().page);
    // "as" matches "Classify", "Ask a question" and "Pwn task" only.
    const offered = async () => (await taskLabels('as', 'Classify')).some((l) => l.startsWith('Pwn task'));
    restoreSettings = await withUserSettings(hostileSettings(e2e().trap.url), offered, async () => !(await offered()));
    e2e().page.context().on('request', onRequest);
    // The trap works: a script that does run (here, in a blank page of the same browser) is seen.
    const control = await e2e().page.context().newPage();
    await control.evaluate((u) => fetch(`${u}/control`).then(() => undefined), e2e().trap.url);
    await control.close();
    assert.deepEqual(e2e().trap.hits, ['GET /control']);
    e2e().trap.hits.length = 0;
    requests.length = 0;
  });
  after(async () => {
    e2e().page.context().off('request', onRequest);
    await openFile(e2e().page, 'sample.ts');
    await selectAll(e2e().page);
    await restoreSettings?.();
  });

  async function assertNoTrapFired(where: string): Promise<void> {
    const { page } = e2e();
    await page.waitForTimeout(1500); // time for a late onerror, a refresh or a request to land
    assert.deepEqual(trap().hits, [], `${where}: the trap server was hit`);
    assert.deepEqual(await trapsInFrames(page), [], `${where}: a trap flag or title was set`);
    const trapped = requests.filter((r) => r.url.startsWith(trap().url) || /evil\.example/.test(r.url));
    assert.deepEqual(trapped, [], `${where}: requests to the trap or a hostile host`);
    // The workbench itself may look for the marketplace; nothing inside a webview may leave the machine.
    const remote = requests.filter((r) => !isLocal(r.url) && !r.main);
    assert.deepEqual(remote, [], `${where}: a webview made a remote request`);
  }

  it('streams hostile model output into the answer panel: shown as text, nothing runs, nothing loads', async () => {
    const { page, fake } = e2e();
    fake.reset();
    // Small chunks split every tag and attribute across deltas.
    // A reported output count keeps the fake from cutting the text at the task's max_tokens.
    fake.enqueue({ kind: 'ok', text: corpus(trap().url), chunkSize: 7, usage: { output: 900 } });
    await openFile(page, 'sample.ts');
    await selectAll(page);
    await runCommand(page, 'Tierwise: Explain Selection');
    const frame = await webviewFrame(page, 'article.answer', 30_000);
    const article = frame.locator('article.answer', { hasText: 'START-OF-HOSTILE' }).last();
    await frame.locator('article.answer[data-state="done"]', { hasText: 'END-OF-HOSTILE' }).last().waitFor({ timeout: 60_000 });
    const body = article.locator('.answer-body');
    // No named functions inside: the test runner's transpiler would wrap them in a helper the page lacks.
    const dangerous = await body.evaluate((el) => {
      const attrs = [...el.querySelectorAll('*')].flatMap((n) => [...n.attributes].map((a) => a.name)).filter((a) => /^on/i.test(a) || a === 'style' || a === 'srcset' || a === 'href' || a === 'xlink:href' || a === 'action' || a === 'formaction');
      const imgs = [...el.querySelectorAll('img')].map((i) => i.getAttribute('src') ?? '').filter((s) => !s.startsWith('data:image/'));
      return {
        elements: el.querySelectorAll('script, iframe, frame, object, embed, form, input, button:not(.code-action), svg, math, style, link, meta, base, video, audio, source').length,
        attrs,
        imgs,
      };
    });
    assert.deepEqual(dangerous, { elements: 0, attrs: [], imgs: [] }, 'no dangerous element, attribute or remote image in the DOM');
    const text = await body.innerText();
    // The hostile markup is there as text the user can read, the protocol look-alike too.
    assert.match(text, /<script>/);
    assert.match(text, /"type":"answer\.end"/);
    assert.match(text, /raw javascript link/);
    assert.equal(await article.getAttribute('data-state'), 'done', 'text that looks like answer.end did not end anything');
    assert.equal(await frame.locator('article.answer', { hasText: 'spoofed' }).count(), 1, 'no answer was added or replaced by the look-alike');
    // Links keep their address only as text to copy; none can be followed.
    assert.equal(await body.locator('a[href]').count(), 0);
    await screenshot('08-hostile-answer');
    await assertNoTrapFired('answer panel');
  });

  it('hostile task labels and model names in the answer, Compare Costs and the cost report are shown as text', async () => {
    const { page, fake } = e2e();
    const { taskLabel, model } = hostileNames(trap().url);
    fake.reset();
    await openFile(page, 'sample.ts');
    await selectAll(page);
    // "Run Task on Selection…", picking the task by the start of its (hostile) label.
    await runCommand(page, 'Tierwise: Run Task on Selection…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('Pwn task');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pwn task' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const frame = await webviewFrame(page, 'article.answer', 30_000);
    const last = frame.locator('article.answer', { hasText: 'Pwn task' }).last();
    await frame.locator('article.answer[data-state="done"]', { hasText: 'gpt-evil' }).last().waitFor({ timeout: 30_000 });
    const sent = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.equal((sent?.body as { model?: string } | undefined)?.model, model, 'the hostile model name went to the provider as is');
    const head = await last.innerText();
    assert.ok(head.includes(taskLabel), `the task label is shown as text: ${head.slice(0, 300)}`);
    assert.ok(head.includes(model), `the model name is shown as text: ${head.slice(0, 300)}`);
    assert.equal(await last.locator('img, svg, script').count(), 0);
    await assertNoTrapFired('answer panel with hostile names');

    await runCommand(page, 'Tierwise: Compare Costs for Selection');
    const compare = await webviewFrame(page, 'table', 30_000);
    await compare.locator('table', { hasText: 'gpt-evil' }).first().waitFor({ timeout: 30_000 });
    const compareText = await compare.locator('body').innerText();
    assert.ok(compareText.includes(model), 'Compare Costs shows the model name as text');
    assert.ok(compareText.includes(taskLabel), `Compare Costs shows the task label as text: ${compareText.slice(0, 300)}`);
    assert.equal(await compare.locator('img, svg, script').count(), 0);
    await assertNoTrapFired('Compare Costs');

    // The ledger now holds a record with the hostile model and task: the report lists both.
    await runCommand(page, 'Tierwise: Show Cost Report');
    const report = await webviewFrame(page, '.report svg', 30_000);
    await report.locator('button', { hasText: 'Refresh' }).click();
    await report.locator('table.data', { hasText: 'gpt-evil' }).first().waitFor({ state: 'attached', timeout: 30_000 });
    const tables = await report.locator('table.data').allTextContents();
    assert.ok(tables.some((t) => t.includes(`openai/${model}`)), 'the cost report lists the model as text');
    assert.ok(tables.some((t) => t.includes(taskLabel)), 'the cost report lists the task label as text');
    assert.equal(await report.locator('.report img, .report script, .report foreignObject').count(), 0);
    await screenshot('09-hostile-report');
    await assertNoTrapFired('cost report');
  });
});
