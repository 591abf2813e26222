/**
 * The same integration suites under @vscode/test-electron, for machines that can download VS Code desktop
 * (this one cannot: `npm test` runs them in code-server instead). Run with `npx tsx test/runner/electron.ts`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startFakeProvider } from '../fake-provider/server';
import { fakeProviderSettings } from './settings';

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--tests'], { cwd: root, stdio: 'inherit' });
  const fake = await startFakeProvider();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'tierwise-ws-'));
  cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'tierwise-ud-'));
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(fakeProviderSettings(fake), null, 2));
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index'),
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { TIERWISE_FAKE_PROVIDER_URL: fake.url },
    });
  } finally {
    await fake.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
