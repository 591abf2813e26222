import { ProviderError } from '../../../src/core/errors';
import type { CallResult, StreamEvent } from '../../../src/core/types';

export interface Collected {
  events: StreamEvent[];
  text: string;
  result?: CallResult;
  error?: ProviderError;
}

/** Drain a provider stream; a ProviderError is captured, anything else fails the test. */
export async function collect(stream: AsyncIterable<StreamEvent>, onEvent?: (e: StreamEvent) => void): Promise<Collected> {
  const out: Collected = { events: [], text: '' };
  try {
    for await (const e of stream) {
      out.events.push(e);
      if (e.type === 'text') out.text += e.text;
      if (e.type === 'finish') out.result = e.result;
      onEvent?.(e);
    }
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e;
    out.error = e;
  }
  return out;
}

export { waitFor } from '../../helpers/wait';
