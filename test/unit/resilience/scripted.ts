import type { Clock } from '../../../src/core/clock';
import { ProviderError } from '../../../src/core/errors';
import type { ErrorKind } from '../../../src/core/errors';
import type { CallResult, ChatRequest, ProviderId, StreamEvent } from '../../../src/core/types';
import type { StreamingProvider } from '../../../src/core/resilience/timeouts';

/** One scripted step of an in-memory provider. */
export type Step =
  | { ok: string; headers?: Record<string, string>; usage?: { input: number; output: number } }
  | { fail: ErrorKind; status?: number; headers?: Record<string, string> }
  | { textThenFail: string; fail: ErrorKind }
  | { stallAfter: string };

/** A provider that plays steps in order and records the requests it got. */
export class ScriptedProvider implements StreamingProvider {
  readonly requests: ChatRequest[] = [];
  constructor(
    readonly id: ProviderId,
    private readonly steps: Step[],
    private readonly clock?: Clock,
  ) {}

  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
    this.requests.push(req);
    const step = this.steps.shift() ?? { ok: 'default answer' };
    const base = { provider: this.id, model: req.model };
    if ('fail' in step && !('textThenFail' in step)) {
      throw new ProviderError({ ...base, kind: step.fail, status: step.status, headers: step.headers, message: `${step.fail}` });
    }
    yield { type: 'start', model: req.model, ...('ok' in step && step.headers ? { headers: step.headers } : {}) };
    if ('textThenFail' in step) {
      yield { type: 'text', text: step.textThenFail };
      throw new ProviderError({ ...base, kind: step.fail, message: 'connection reset', partialText: step.textThenFail });
    }
    if ('stallAfter' in step) {
      if (step.stallAfter) yield { type: 'text', text: step.stallAfter };
      await new Promise<void>((_, reject) => {
        signal?.addEventListener('abort', () => reject(new ProviderError({ ...base, kind: 'aborted', message: 'aborted' })), { once: true });
      });
      return;
    }
    const half = Math.ceil(step.ok.length / 2);
    yield { type: 'text', text: step.ok.slice(0, half) };
    yield { type: 'text', text: step.ok.slice(half) };
    const usage = { inputTokens: step.usage?.input ?? 10, outputTokens: step.usage?.output ?? 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    yield { type: 'usage', usage };
    const result: CallResult = {
      text: step.ok,
      finishReason: 'stop',
      usage,
      usageReported: true,
      model: req.model,
      timing: { totalMs: 0 },
      headers: step.headers ?? {},
    };
    yield { type: 'finish', result };
    void this.clock;
  }
}
