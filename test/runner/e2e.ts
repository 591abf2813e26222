/**
 * End-to-end UI tests: packages the .vsix, installs it into code-server the way a user installs an extension,
 * starts the fake provider, opens the workbench in headless Chromium and runs test/e2e/*.test.ts (mocha).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { launchBrowser, newPage } from './browser';
import { startCodeServer } from './codeServer';
import { ensureTestEnvironment, fixtureWorkspace, runMain, say } from './setup';
import { fakeProviderSettings } from './settings';
import { startFakeProvider } from '../fake-provider/server';
import { runCommand, screenshot, setEnv, waitForWorkbench, type SecondWorkbench } from '../e2e/harness';
import { startTrap } from '../e2e/hostile';
import { orderSuites } from '../helpers/order';

const root = path.resolve(__dirname, '..', '..');

function vsixPath(): string {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return path.join(root, `tierwise-${version}.vsix`);
}

async function main(): Promise<number> {
  ensureTestEnvironment();
  if (!process.env.TIERWISE_SKIP_PACKAGE) {
    say('packaging the extension (npm run package)');
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  }
  const vsix = vsixPath();
  rmSync(path.join(root, 'test-results', 'screenshots'), { recursive: true, force: true });
  const fake = await startFakeProvider();
  say(`fake provider listening on ${fake.url}`);
  // Hostile content aims at this local trap server (test/e2e/04-hostile.test.ts).
  const trap = await startTrap();
  const workspace = fixtureWorkspace('tierwise-e2e-ws-');
  const server = await startCodeServer({
    workspace,
    installVsix: [vsix],
    settings: fakeProviderSettings(fake),
  });
  const browser = await launchBrowser();
  const page = await newPage(browser);
  /** Another workbench beside the first (its own code-server, user data and workspace), in `locale`. */
  const another = async (locale: string): Promise<SecondWorkbench> => {
    const ws = fixtureWorkspace(`tierwise-e2e-${locale}-ws-`);
    const other = await startCodeServer({
      workspace: ws,
      installVsix: [vsix],
      settings: fakeProviderSettings(fake),
      locale,
      languagePack: path.join(root, 'test', 'fixtures', `${locale}-language-pack`),
    });
    const otherPage = await newPage(browser);
    const otherUrl = `${other.url}/?folder=${encodeURIComponent(ws)}`;
    await otherPage.goto(otherUrl);
    await waitForWorkbench(otherPage);
    const reloadOther = async () => {
      await otherPage.reload();
      await waitForWorkbench(otherPage);
    };
    return {
      env: { page: otherPage, fake, workspace: ws, url: otherUrl, reload: reloadOther, trap, userDataDir: other.userDataDir, another },
      async close() {
        await otherPage.context().close().catch(() => undefined);
        await other.stop();
        rmSync(ws, { recursive: true, force: true });
      },
    };
  };
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  const open = async () => {
    await page.goto(url);
    await waitForWorkbench(page);
  };
  try {
    say('opening the workbench');
    await open();
    // "Developer: Reload Window", as a user reloads: the workbench saves its state before it goes.
    const reload = async () => {
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForEvent('framenavigated', { timeout: 30_000 }).catch(() => undefined);
      await waitForWorkbench(page);
    };
    setEnv({ page, fake, workspace, url, reload, trap, userDataDir: server.userDataDir, another });
    const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, reporter: 'spec', color: false });
    if (process.env.TIERWISE_TEST_GREP) mocha.grep(process.env.TIERWISE_TEST_GREP);
    const dir = path.join(root, 'test', 'e2e');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()) mocha.addFile(path.join(dir, f));
    // TIERWISE_TEST_ORDER=reverse|shuffle:<seed> runs the suites in another order (test/helpers/order.ts).
    await mocha.loadFilesAsync();
    say(`end-to-end suites in ${orderSuites(mocha.suite, process.env.TIERWISE_TEST_ORDER)}`);
    mocha.rootHooks({
      async afterEach(this: Mocha.Context) {
        if (this.currentTest?.state === 'failed') {
          const name = `failed-${this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60)}`;
          await screenshot(name).catch(() => undefined);
        }
      },
    });
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    say(`end-to-end tests: ${mocha.suite.total()} tests, ${failures} failed (screenshots in test-results/screenshots)`);
    return failures ? 1 : 0;
  } finally {
    setEnv(undefined);
    await browser.close().catch(() => undefined);
    await server.stop();
    await fake.close();
    await trap.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

runMain(main);
