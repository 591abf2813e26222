/**
 * Smoke check of the real answer-panel and cost-report bundles in headless Chromium under the exact CSP the host
 * sets: the page must render a streamed answer (code blocks highlighted, controls present) and the report charts
 * with zero CSP violations. Run: npx tsx bench/render/csp.ts (needs /usr/bin/chromium or TIERWISE_CHROMIUM).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { contentSecurityPolicy, nonce } from '../../src/host/panels/csp';
import type { CostReportData, HostToAnswerView } from '../../src/shared/protocol';

async function main(): Promise<void> {
  const exe = process.env.TIERWISE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => existsSync(x));
  if (!exe) throw new Error('Chromium not found');
  const built = await esbuild.build({
    entryPoints: { webview: 'src/webview/main.ts', report: 'src/webview/report.ts' },
    bundle: true, write: false, outdir: '/virtual', format: 'iife', platform: 'browser', target: 'es2022', minify: true,
    loader: { '.css': 'css' },
  });
  const files = new Map(built.outputFiles.map((f) => [f.path.replace('/virtual/', '/'), f.text]));
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const n = nonce();
    const bundle = url === '/report' ? 'report' : url === '/answers' ? 'webview' : undefined;
    if (bundle) {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'text/html');
      res.end(`<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(origin, n)}">
<link rel="stylesheet" href="/${bundle}.css" nonce="${n}"></head><body class="vscode-dark"><main id="app"></main>
<script nonce="${n}">window.sent=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.sent.push(m),getState:()=>undefined,setState:()=>{}});</script>
<script nonce="${n}" src="/${bundle}.js"></script></body></html>`);
      return;
    }
    const body = files.get(url);
    if (body === undefined) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', url.endsWith('.css') ? 'text/css' : 'text/javascript');
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  let failures = 0;
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures++;
  };
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`http://127.0.0.1:${port}/answers`);
    await page.waitForFunction(() => (window as unknown as { sent: { type: string }[] }).sent.some((m) => m.type === 'ready'));
    const text = '# Plan\n\nUse `parse()`; see [docs](https://example.com) and ![x](https://evil.example/p.png).\n\n```ts\nconst a: number = 1; // one\n```\n\n<img src=x onerror="window.pwned=1">\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    const msgs: HostToAnswerView[] = [
      { type: 'answer.start', id: 'a1', title: 'Smoke', meta: { provider: 'anthropic', model: 'claude', tier: 'medium', reason: 'size', task: 'explain' }, startedAt: 1 },
      ...Array.from(text.matchAll(/[\s\S]{1,7}/g), (m) => ({ type: 'answer.delta' as const, id: 'a1', text: m[0] })),
    ];
    for (const m of msgs) await page.evaluate((msg) => window.postMessage(msg, '*'), m);
    await page.waitForFunction(() => document.querySelector('.code-block.streaming, .code-block') !== null);
    await page.evaluate(() => window.postMessage({ type: 'answer.end', id: 'a1', outcome: 'done', meta: { cost: '$0.001' } }, '*'));
    await page.waitForFunction(() => document.querySelector('article[data-state="done"]') !== null);
    const state = await page.evaluate(() => ({
      hl: document.querySelectorAll('.code-block .hljs-keyword').length,
      table: document.querySelectorAll('.answer-body table').length,
      imgs: document.querySelectorAll('img').length,
      pwned: (window as unknown as { pwned?: number }).pwned,
      violations: (window as unknown as { violations: string[] }).violations,
      buttonBg: getComputedStyle(document.querySelector('[data-answer-action="retry"]')!).cursor,
    }));
    check(state.hl > 0, 'code highlighted');
    check(state.table === 1, 'table rendered');
    check(state.imgs === 0 && state.pwned === undefined, 'no image, no handler ran');
    check(state.buttonBg === 'pointer', 'stylesheet applied under the CSP');
    check(state.violations.length === 0, `no CSP violation in the answer panel (${state.violations.join('; ')})`);
    await page.click('[data-code-action="copy"]');
    const sent = await page.evaluate(() => (window as unknown as { sent: { type: string; text?: string }[] }).sent);
    check(sent.some((m) => m.type === 'copy' && m.text === 'const a: number = 1; // one\n'), 'copy button posts the code');
    check(!requests.some((u) => !u.startsWith(`http://127.0.0.1:${port}/`)), 'no request left the page origin');

    const report = await browser.newPage();
    await report.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { violations: string[] }).violations.push(e.violatedDirective));
    });
    report.on('pageerror', (e) => console.log('page error:', e.message));
    await report.goto(`http://127.0.0.1:${port}/report`);
    const p = (key: string, cost: number) => ({ key, cost, requests: 2, inputTokens: 100, outputTokens: 20 });
    const data: CostReportData = {
      currency: 'USD', generatedAt: '2026-11-27T05:00:00Z', from: '2026-11-01', to: '2026-11-27',
      byDay: [p('2026-11-01', 0.2), p('2026-11-02', 0.5)], byProvider: [p('openai', 0.4)], byModel: [p('gpt', 0.4)],
      byTier: [p('simple', 0.1)], byTask: [p('explain', 0.3)], bySource: [p('panel', 0.7)],
      byWorkspace: [{ ...p('a1b2c3d4e5f6', 0.7), label: 'shop' }], workspaces: [{ key: 'a1b2c3d4e5f6', label: 'shop', current: true }],
      totals: { cost: 0.7, requests: 4, inputTokens: 200, outputTokens: 40, cachedTokens: 0 },
      savings: { cacheTokens: 0, cacheCost: 0, batchTokens: 0, batchCost: 0, topTierCost: 2, tieringCost: 1.3, localRequests: 0, localCost: 0 },
    };
    await report.evaluate((d) => window.postMessage({ type: 'report.data', data: d }, '*'), data);
    await report.waitForFunction(() => document.querySelectorAll("svg.chart").length === 6, undefined, { timeout: 5000 });
    const rv = await report.evaluate(() => ({
      violations: (window as unknown as { violations: string[] }).violations,
      fill: getComputedStyle(document.querySelector('rect.bar')!).fill,
    }));
    check(rv.violations.length === 0, `no CSP violation in the cost report (${rv.violations.join('; ')})`);
    console.log(`     (bar fill outside VS Code, where the theme variables are absent: ${rv.fill})`);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exitCode = failures ? 1 : 0;
}

void main();
