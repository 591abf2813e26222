/**
 * Installs what the in-editor tests need, once per machine, outside the clone:
 *   - Debian packages: chromium (the browser Playwright drives), ripgrep (seeded into code-server's
 *     download cache), libkrb5-dev (headers for a code-server native module), fonts-wqy-microhei (Chinese
 *     characters in the zh-cn screenshots);
 *   - code-server 4.104.0 (VS Code 1.104 as a web server: the first with the Language Model Chat Provider API),
 *     with Node 22 from the npm registry package `node@22` to run it (code-server 4.104 needs Node 22).
 * Everything lands in ~/.cache/tierwise-e2e/cs-<version> (the cache folder can be overridden with
 * TIERWISE_E2E_CACHE) so a fresh clone reuses it, and an older code-server in that cache stays as it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.104.0';
/** The Node major code-server 4.104 runs on; installed from the npm registry package `node`. */
export const NODE_MAJOR = 22;
/** The @vscode/ripgrep version code-server 4.104.0 installs, and the release asset its postinstall looks for. */
const RIPGREP = { pkg: '1.15.14', asset: 'ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz' };
export const cacheRoot = process.env.TIERWISE_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'tierwise-e2e');
export const cacheDir = path.join(cacheRoot, `cs-${CODE_SERVER_VERSION}`);
export const codeServerEntry = path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** The Node binary that runs code-server (and its install). */
export const codeServerNode = path.join(cacheDir, 'node_modules', 'node', 'bin', 'node');

export function say(msg: string): void {
  process.stdout.write(`[tierwise-test] ${msg}\n`);
}

function have(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function chromiumPath(): string {
  const p = process.env.TIERWISE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => existsSync(x));
  if (!p) throw new Error('Chromium not found: install the Debian package "chromium" or set TIERWISE_CHROMIUM.');
  return p;
}

/** The font file of Debian's fonts-wqy-microhei. */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

function ensureSystemPackages(): void {
  const missing: string[] = [];
  if (!have('chromium') && !have('chromium-browser')) missing.push('chromium');
  if (!have('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  // A font with Chinese characters, so the zh-cn screenshots show text and not boxes.
  if (!existsSync(CJK_FONT)) missing.push('fonts-wqy-microhei');
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing system packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing system packages: ${missing.join(', ')} (apt-get)`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function seedRipgrepCache(): void {
  // code-server's postinstall downloads ripgrep from GitHub, which this machine cannot reach.
  // @vscode/ripgrep looks in this cache first, so put Debian's rg there under the asset name it wants.
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP.pkg}`);
  const asset = path.join(dir, RIPGREP.asset);
  if (existsSync(asset)) return;
  const rg = have('rg');
  if (!rg) throw new Error('ripgrep (rg) is needed to install code-server offline.');
  mkdirSync(dir, { recursive: true });
  const pack = mkdtempSync(path.join(os.tmpdir(), 'rgpack-'));
  copyFileSync(rg, path.join(pack, 'rg'));
  execFileSync('tar', ['czf', asset, '-C', pack, 'rg']);
}

function ensureCacheFolder(): void {
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(path.join(cacheDir, 'package.json'))) {
    writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'tierwise-e2e-cache', private: true }, null, 2));
  }
}

function ensureNode(): void {
  if (existsSync(codeServerNode)) return;
  ensureCacheFolder();
  say(`installing Node ${NODE_MAJOR} (npm package node@${NODE_MAJOR}) into ${cacheDir}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `node@${NODE_MAJOR}`], { cwd: cacheDir, stdio: 'inherit' });
  if (!existsSync(codeServerNode)) throw new Error(`node@${NODE_MAJOR} install finished but ${codeServerNode} is missing`);
}

function ensureCodeServer(): void {
  if (existsSync(codeServerEntry) && existsSync(codeServerNode)) {
    say(`code-server ${CODE_SERVER_VERSION} found in ${cacheDir}`);
    return;
  }
  seedRipgrepCache();
  ensureNode();
  say(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} with Node ${NODE_MAJOR} (once per machine, about 5 minutes)`);
  // npm prunes what a `--no-save` install does not name, so name both packages; Node 22 comes first on PATH so
  // code-server's postinstall and its native builds use it.
  // code-server's postinstall reads the Node version from npm's user agent: an outer `npm test` or `npx` passes its
  // own down in npm_config_user_agent, which would name the Node that runs the tests, so it is left out.
  const { npm_config_user_agent: _outer, ...env } = process.env;
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `node@${NODE_MAJOR}`, `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    stdio: 'inherit',
    env: {
      ...env,
      PATH: `${path.dirname(codeServerNode)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_yes: 'true',
      npm_config_unsafe_perm: 'true',
    },
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server install finished but ${codeServerEntry} is missing`);
}

export function ensureTestEnvironment(): void {
  ensureSystemPackages();
  ensureCodeServer();
  say(`code-server ${CODE_SERVER_VERSION} on ${codeServerNode}`);
  say(`browser: ${chromiumPath()}`);
}

/** A fresh copy of test/fixtures/workspace in a temporary folder. */
export function fixtureWorkspace(prefix = 'tierwise-ws-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(path.join(__dirname, '..', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

/** Runs a runner's main and exits with its code (1 on a thrown error). */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

if (require.main === module) {
  try {
    ensureTestEnvironment();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
