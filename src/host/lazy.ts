import * as path from 'node:path';
import type * as Calls from '../core/calls';

let calls: typeof Calls | undefined;
let onLoaded: ((ms: number) => void) | undefined;

/** Told once, with the load time, when the calls bundle is first loaded. */
export function onCallsLoaded(listener: (ms: number) => void): void {
  onLoaded = listener;
}

/**
 * The provider SDKs, the resilience pipeline and the price catalogue live in dist/calls.js and are loaded the first
 * time something needs them (a count's price, a request), never during activation.
 */
export function loadCalls(): typeof Calls {
  if (!calls) {
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    calls = require(path.join(__dirname, 'calls.js')) as typeof Calls;
    onLoaded?.(performance.now() - t0);
  }
  return calls;
}
