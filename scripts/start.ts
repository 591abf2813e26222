/**
 * `npm start`: builds tierwise-<version>.vsix and opens Tierwise in VS Code.
 * - With the desktop `code` on PATH: installs the .vsix there and opens this folder.
 * - Otherwise: code-server (installed once into ~/.cache/tierwise-e2e) with the .vsix installed, and prints the
 *   local URL to open. Ctrl+C stops it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, codeServerEntry, codeServerNode, ensureTestEnvironment, say } from '../test/runner/setup';
import { freePort } from '../test/runner/codeServer';

const root = path.resolve(__dirname, '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const vsix = path.join(root, `tierwise-${version}.vsix`);

async function main(): Promise<void> {
  say('building the extension and packaging it (npm run package)');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  say(`built ${path.basename(vsix)}`);

  const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
  if (code && !process.env.TIERWISE_USE_CODE_SERVER) {
    say(`installing into VS Code (${code})`);
    execFileSync(code, ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
    execFileSync(code, [root], { stdio: 'inherit' });
    say('VS Code is open with Tierwise installed. Set a key with "Tierwise: Set API Key…".');
    return;
  }

  ensureTestEnvironment();
  const userDataDir = path.join(cacheDir, 'start', 'user-data');
  const extensionsDir = path.join(cacheDir, 'start', 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const base = ['--auth', 'none', '--disable-telemetry', '--disable-update-check', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  say('installing the .vsix into code-server');
  execFileSync(codeServerNode, [codeServerEntry, ...base, '--install-extension', vsix, '--force'], { stdio: 'inherit' });
  const port = Number(process.env.PORT) || (await freePort());
  const child = spawn(codeServerNode, [codeServerEntry, ...base, '--bind-addr', `127.0.0.1:${port}`, root], { stdio: ['ignore', 'ignore', 'inherit'] });
  say(`Tierwise is running in VS Code (code-server). Open http://127.0.0.1:${port}/ in your browser. Ctrl+C stops it.`);
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise((r) => child.on('exit', r));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
