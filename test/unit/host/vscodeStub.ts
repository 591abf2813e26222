/**
 * The few parts of the `vscode` module that host code under unit test reaches for (l10n.t, EventEmitter), so that
 * a host adapter's own logic runs in plain node. Importing this file makes `require('vscode')` resolve to it; import
 * it before the host module under test.
 */
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: { dispose(): void }[]) => {
    const bound: Listener<T> = (e) => listener.call(thisArg, e);
    this.listeners.add(bound);
    const d = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export const l10n = {
  // As VS Code's: a placeholder without an argument stays as it is.
  t: (message: string, ...args: unknown[]): string => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)),
};

/** VS Code's display language; a test may set it. */
export const env = { language: 'en' };

const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? __filename : original.call(this, request, ...rest);
};
