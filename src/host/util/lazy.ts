import * as path from 'node:path';
import type * as Calls from '../../core/calls';
import type * as Telemetry from '../../core/telemetry/bundle';

let calls: typeof Calls | undefined;
let asked = 0;
let onLoaded: ((ms: number) => void) | undefined;

/** Told once, with the load time, when the provider SDK bundle is first loaded. */
export function onCallsLoaded(listener: (ms: number) => void): void {
  onLoaded = listener;
}

/**
 * Whether the provider SDK bundle (dist/calls.js) is loaded in this extension host, and how many times something
 * asked for it: what the tests observe to show that counting, prices and lenses never need it.
 */
export function sdkBundleUse(): { loaded: boolean; asked: number } {
  return { loaded: calls !== undefined, asked };
}

/**
 * The provider SDKs, the resilience pipeline and the batch clients live in dist/calls.js and are loaded the first
 * time a request is sent (or a key is checked), never during activation, counting, pricing or the prompt lenses.
 */
export function loadCalls(): typeof Calls {
  asked++;
  if (!calls) {
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    calls = require(path.join(__dirname, 'calls.js')) as typeof Calls;
    onLoaded?.(performance.now() - t0);
  }
  return calls;
}

let telemetry: typeof Telemetry | undefined;

/** Whether the OpenTelemetry bundle (dist/telemetry.js) is loaded in this extension host. */
export function telemetryBundleLoaded(): boolean {
  return telemetry !== undefined;
}

/** The OpenTelemetry SDK and exporters (dist/telemetry.js): loaded once export is on and a call has ended. */
export function loadTelemetry(): typeof Telemetry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  telemetry ??= require(path.join(__dirname, 'telemetry.js')) as typeof Telemetry;
  return telemetry;
}
