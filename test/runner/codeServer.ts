/**
 * Starts and stops code-server (VS Code as a web server) on a free loopback port, with its own
 * user-data and extensions folders, for the integration and end-to-end tests.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { codeServerEntry, codeServerNode, say } from './setup';

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  logs(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  workspace: string;
  /** User settings written to User/settings.json. */
  settings?: Record<string, unknown>;
  /** .vsix files to install the way a user does, before starting. */
  installVsix?: string[];
  env?: Record<string, string>;
  /** Extension folders copied into the extensions folder before starting (as VS Code finds a copied extension). */
  copyExtensions?: string[];
  /**
   * VS Code's display language (`--locale`). A language other than English needs a language pack: `languagePack`
   * is one's folder, registered the way VS Code registers a language pack it installs (User data's
   * languagepacks.json; `--install-extension` on the command line does not register one).
   */
  locale?: string;
  languagePack?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Registers the language pack in `dir` as VS Code does when it installs one (see languagePacks.ts in VS Code). */
function registerLanguagePack(userDataDir: string, dir: string): void {
  interface Localization {
    languageId: string;
    localizedLanguageName?: string;
    translations: { id: string; path: string }[];
  }
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string; contributes: { localizations: Localization[] } };
  const packs: Record<string, unknown> = {};
  for (const l of pkg.contributes.localizations) {
    const translations = Object.fromEntries(l.translations.map((t) => [t.id, path.join(dir, t.path)]));
    packs[l.languageId] = {
      hash: createHash('md5').update(JSON.stringify(translations)).digest('hex'),
      extensions: [{ extensionIdentifier: { id: `${pkg.publisher}.${pkg.name}` }, version: pkg.version }],
      translations,
      label: l.localizedLanguageName ?? l.languageId,
    };
  }
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

const baseArgs = ['--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tierwise-cs-'));
  const userDataDir = path.join(root, 'ud');
  const extensionsDir = path.join(root, 'exts');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'window.restoreWindows': 'none',
    // Text the tests type goes in as typed: no indentation added after a new line, no closing bracket or quote
    // added (which, on a line of its own, the typed one would not overtype).
    // VS Code 1.104 opens a secondary side bar (for chat) by default, which narrows the editor area.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'editor.autoIndent': 'none',
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoSurround': 'never',
    'editor.formatOnType': false,
    'editor.acceptSuggestionOnEnter': 'off',
    ...opts.settings,
  };
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  for (const vsix of opts.installVsix ?? []) {
    say(`installing ${path.basename(vsix)} into code-server (--install-extension)`);
    execFileSync(codeServerNode, [codeServerEntry, ...baseArgs, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  for (const dir of opts.copyExtensions ?? []) {
    const { publisher, name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    cpSync(dir, path.join(extensionsDir, `${publisher}.${name}-${version}`), { recursive: true });
  }
  if (opts.languagePack) registerLanguagePack(userDataDir, opts.languagePack);
  const port = await freePort();
  const locale = opts.locale ? ['--locale', opts.locale] : [];
  const args = [codeServerEntry, ...baseArgs, ...locale, '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, opts.workspace];
  say(`starting code-server on http://127.0.0.1:${port}`);
  const child: ChildProcess = spawn(codeServerNode, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  say(`code-server is up (${url})`);
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    logs: () => out,
    async stop() {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            try {
              if (child.pid) process.kill(-child.pid, 'SIGKILL');
            } catch {
              /* gone */
            }
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      rmSync(root, { recursive: true, force: true });
      say('code-server stopped');
    },
  };
}
