/**
 * Runs the integration suites (test/integration, a standard mocha `run()` entry) inside a real VS Code
 * extension host: code-server, opened in headless Chromium with the `payload` that makes the workbench load
 * the extension under development and run its tests, the way @vscode/test-electron does on the desktop.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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
