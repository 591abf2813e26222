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

export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('waitFor: condition not met');
    await new Promise((r) => setTimeout(r, 2));
  }
}
