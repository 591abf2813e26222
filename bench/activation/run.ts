/**
 * Activation benchmark (printed, not asserted).
 *   1. activate() duration measured inside the VS Code extension host (code-server, the packaged .vsix), over
 *      several window loads, read from Tierwise's own log line "activated in N ms".
 *   2. What lazy loading saves: the provider SDK bundle (SDKs, resilience, batch clients) loads on the first send
 *      only; opening and counting a file must not load it (the log line "provider SDKs loaded in N ms" stays out).
 *      Prices, the cost formula and the ledger are in the main bundle. The OpenTelemetry bundle never loads here
 *      (its log line "OpenTelemetry loaded in N ms" stays out).
 *   3. Sizes of the main bundle and of the .vsix.
 * Goals: activate() < 50 ms; main bundle < 1.5 MB; .vsix < 20 MB.
 *
 *   npx tsx bench/activation/run.ts [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, cpSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, newPage } from '../../test/runner/browser';
import { startCodeServer } from '../../test/runner/codeServer';
import { ensureTestEnvironment } from '../../test/runner/setup';

const root = path.resolve(__dirname, '..', '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

function findLogs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Tierwise\.log$/.test(e.name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function logged(userDataDir: string, re: RegExp): number[] {
  const times: number[] = [];
  for (const f of findLogs(path.join(userDataDir, 'logs'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(re)) times.push(Number(m[1]));
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  ensureTestEnvironment();
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(root, `tierwise-${version}.vsix`);
  const kb = (f: string) => (statSync(f).size / 1024).toFixed(0);

  const workspace = mkdtempSync(path.join(os.tmpdir(), 'tierwise-bench-ws-'));
  cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const server = await startCodeServer({ workspace, installVsix: [vsix] });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    for (let i = 0; i < runs; i++) {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.statusbar-item[id^="tierwise.tierwise"]').first().waitFor({ timeout: 60_000 });
      // Opening a file makes the status bar count and price its tokens, without the provider SDKs.
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.ts' }).first().click();
      await page.waitForFunction(() => /tok/.test(document.querySelector('[id^="tierwise.tierwise"]')?.textContent ?? ''), null, { timeout: 30_000 }).catch(async (e: unknown) => {
        await page.screenshot({ path: path.join(root, 'test-results', 'bench-activation.png') });
        for (const f of findLogs(path.join(server.userDataDir, 'logs'))) console.error(f, readFileSync(f, 'utf8').slice(-3000));
        throw e;
      });
      await page.waitForTimeout(1000);
    }
  } finally {
    await browser.close();
  }
  const times = logged(server.userDataDir, /activated in ([\d.]+) ms/g);
  const sdks = logged(server.userDataDir, /provider SDKs loaded in ([\d.]+) ms/g);
  const otel = logged(server.userDataDir, /OpenTelemetry loaded in ([\d.]+) ms/g);
  await server.stop();

  console.log('\nTierwise activation (measured inside the extension host, same processes)');
  console.log(`  activate(): ${times.map((t) => t.toFixed(1)).join(', ')} ms over ${times.length} window loads; median ${median(times).toFixed(1)} ms (goal < 50 ms)`);
  console.log(
    sdks.length
      ? `  provider SDK bundle loaded while only opening and counting (should not be): ${sdks.map((t) => t.toFixed(1)).join(', ')} ms; median ${median(sdks).toFixed(1)} ms = ${(median(sdks) / median(times)).toFixed(1)}x activate()`
      : `  provider SDK bundle: not loaded by opening, counting and pricing a file (${runs} window loads); it loads on the first send`,
  );
  console.log(
    otel.length
      ? `  OpenTelemetry bundle loaded without a call (should not be): ${otel.map((t) => t.toFixed(1)).join(', ')} ms`
      : `  OpenTelemetry bundle (dist/telemetry.js, ${kb(path.join(root, 'dist', 'telemetry.js'))} KB): not loaded; it loads only once export is on and a call has ended`,
  );
  console.log(`  dist/extension.js ${kb(path.join(root, 'dist', 'extension.js'))} KB (goal < 1,536 KB); dist/calls.js ${kb(path.join(root, 'dist', 'calls.js'))} KB; dist/tokenWorker.js ${kb(path.join(root, 'dist', 'tokenWorker.js'))} KB; dist/webview.js ${kb(path.join(root, 'dist', 'webview.js'))} KB`);
  console.log(`  ${path.basename(vsix)} ${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB (goal < 20 MB)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
