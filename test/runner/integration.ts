/**
 * Runs the integration suites (test/integration, a standard mocha `run()` entry) inside a real VS Code
 * extension host: code-server, opened in headless Chromium with the `payload` that makes the workbench load
 * the extension under development and run its tests, the way @vscode/test-electron does on the desktop.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, newPage } from './browser';
import { startCodeServer } from './codeServer';
import { ensureTestEnvironment, fixtureWorkspace, runMain, say } from './setup';
import { startFakeProvider } from '../fake-provider/server';
import { fakeProviderSettings } from './settings';

const root = path.resolve(__dirname, '..', '..');
/** Workbench chatter (marketplace look-ups that this offline machine cannot make, socket set-up). */
const WORKBENCH_NOISE = [/open-vsx\.org|ENOTFOUND|marketplace/i, /Creating a socket|Resolving connection token|Resolved connection token/, /Service Worker|builtin extensions cache|ChatSessionStore/];
/** A suite asks for a picture of the workbench (test/integration/helpers.ts `screenshot`): `[tierwise-screenshot] {json}`. */
const SHOT = /^\[tierwise-screenshot\] (\{.*\})\s*$/;
export const INTEGRATION_SHOTS = path.join(root, 'test-results', 'integration-screenshots');

/** Hovers the Tierwise status bar item if asked (and waits for its tooltip), saves the picture, then tells the suite. */
async function takeShot(page: Page, req: { name: string; hover?: string; ack: string }): Promise<void> {
  let note = 'ok';
  try {
    mkdirSync(INTEGRATION_SHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    if (req.hover) {
      const tooltip = page.locator('.monaco-hover', { hasText: req.hover }).first();
      for (let attempt = 1; ; attempt++) {
        await page.locator('[id^="tierwise.tierwise"]').first().hover();
        try {
          await tooltip.waitFor({ timeout: 4_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          await page.mouse.move(0, 0);
        }
      }
    }
    // A tooltip's picture is the lower right of the window, where the status bar item and its tooltip are.
    const clip = req.hover ? { x: 600, y: 700, width: 800, height: 200 } : undefined;
    await page.screenshot({ path: path.join(INTEGRATION_SHOTS, `${req.name.replace(/[^\w-]+/g, '-')}.png`), clip });
  } catch (e) {
    note = `no screenshot: ${(e as Error).message.split('\n')[0]}`;
  }
  writeFileSync(req.ack, note);
}

const TIMEOUT_MS = Number(process.env.TIERWISE_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);

async function main(): Promise<number> {
  ensureTestEnvironment();
  say('building the extension and the integration suites (esbuild --tests)');
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--tests'], { cwd: root, stdio: 'inherit' });

  const fake = await startFakeProvider();
  say(`fake provider listening on ${fake.url}`);
  const workspace = fixtureWorkspace();
  const server = await startCodeServer({
    workspace,
    settings: fakeProviderSettings(fake),
    env: { TIERWISE_FAKE_PROVIDER_URL: fake.url, TIERWISE_TEST_WORKSPACE: workspace },
  });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const auth = `127.0.0.1:${server.port}`;
    const testsEntry = path.join(root, 'out', 'test', 'integration', 'index');
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${auth}${root}`],
      ['extensionTestsPath', `vscode-remote://${auth}${testsEntry}`],
      ['skipWelcome', 'true'],
    ]);
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (WORKBENCH_NOISE.some((re) => re.test(line))) return;
      const shot = SHOT.exec(line.trim());
      if (shot) {
        void takeShot(page, JSON.parse(shot[1]!) as { name: string; hover?: string; ack: string });
        return;
      }
      process.stdout.write(line.endsWith('\n') ? line : line + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    say('opening the workbench with the extension under development and its test suites');
    await page.goto(`http://${auth}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timer = new Promise<number>((r) => setTimeout(() => r(-1), TIMEOUT_MS).unref());
    const code = await Promise.race([exited, timer]);
    if (code === -1) {
      say(`integration tests did not finish within ${TIMEOUT_MS / 1000} s`);
      await page.screenshot({ path: path.join(root, 'test-results', 'integration-timeout.png') }).catch(() => undefined);
      say('code-server log:\n' + server.logs().slice(-4000));
      return 1;
    }
    say(`integration tests finished with exit code ${code}`);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

runMain(main);
