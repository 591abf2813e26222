import * as path from 'node:path';
import type * as Calls from '../core/calls';

let calls: typeof Calls | undefined;

/**
 * The provider SDKs, the resilience pipeline and the price catalogue live in dist/calls.js and are loaded the first
 * time something needs them (a count's price, a request), never during activation.
 */
export function loadCalls(): typeof Calls {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  calls ??= require(path.join(__dirname, 'calls.js')) as typeof Calls;
  return calls;
}
