import type { Clock } from '../clock';
import type { CallResult, ChatRequest, FinishReason, ProviderId, StreamEvent, Timing, Usage } from '../types';
import { headersToRecord, requestIdFrom, type AttemptContext } from './errorMapping';
import { estimateUsage } from './usage';

/**
 * The bookkeeping of one streamed attempt: cancellation (the caller's signal plus our idle timer), the text so far,
 * timing through the Clock port, and the pieces of the final CallResult.
 *
 * `timeoutMs` is an idle timeout: the longest wait for the response headers, and then between two stream events.
 * Time the consumer spends handling an event is not counted (call `pause()` before yielding, `arm()` after).
 */
export class Attempt {
  private readonly controller = new AbortController();
  private timer?: AbortController;
  private readonly startedAt: number;
  private firstTokenAt?: number;
  private readonly onOuterAbort = () => this.controller.abort();

  timedOut = false;
  responseStarted = false;
  text = '';
  headers: Record<string, string> = {};
  requestId?: string;
  answeringModel?: string;
  /** Usage as reported by the provider so far. */
  reported?: Usage;

  constructor(
    readonly provider: ProviderId,
    readonly req: ChatRequest,
    readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly timeoutMs: number | undefined,
    private readonly outer: AbortSignal | undefined,
    private readonly apiKey: string | undefined,
  ) {
    this.startedAt = clock.now();
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.arm();
  }

  /** The signal handed to the SDK: aborts on the caller's abort or our timeout. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get userAborted(): boolean {
    return this.outer?.aborted === true;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** (Re)start the idle timer. */
  arm(): void {
    this.pause();
    if (!this.timeoutMs || this.timeoutMs <= 0 || this.controller.signal.aborted) return;
    const t = new AbortController();
    this.timer = t;
    this.clock.sleep(this.timeoutMs, t.signal).then(
      () => {
        if (t.signal.aborted || this.controller.signal.aborted) return;
        this.timedOut = true;
        this.controller.abort();
      },
      () => undefined,
    );
  }

  /** The response headers arrived: record them and the request id, and give the 'start' event to yield. */
  started(headers: Headers, sdkRequestId: string | null | undefined): StreamEvent {
    this.responseStarted = true;
    this.headers = headersToRecord(headers);
    this.requestId = sdkRequestId ?? requestIdFrom(this.headers);
    this.pause();
    return { type: 'start', requestId: this.requestId, model: this.req.model, headers: this.headers };
  }

  pause(): void {
    this.timer?.abort();
    this.timer = undefined;
  }

  addText(delta: string): void {
    if (!delta) return;
    if (this.firstTokenAt === undefined) this.firstTokenAt = this.clock.now();
    this.text += delta;
  }

  /** Abort the HTTP request (used when the consumer stops early) and release listeners. */
  dispose(): void {
    this.pause();
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  timing(outputTokens: number): Timing {
    const end = this.clock.now();
    const totalMs = end - this.startedAt;
    const t: Timing = { totalMs };
    if (this.firstTokenAt !== undefined) {
      t.timeToFirstTokenMs = this.firstTokenAt - this.startedAt;
      const genMs = end - this.firstTokenAt;
      if (genMs > 0 && outputTokens > 0) t.tokensPerSecond = (outputTokens * 1000) / genMs;
    }
    return t;
  }

  result(finishReason: FinishReason, fallbackModel: string): CallResult {
    const usageReported = this.reported !== undefined;
    const usage = this.reported ?? estimateUsage(this.req, this.text);
    return {
      text: this.text,
      finishReason,
      usage,
      usageReported,
      model: this.answeringModel ?? fallbackModel,
      requestId: this.requestId,
      timing: this.timing(usage.outputTokens),
      headers: this.headers,
    };
  }

  context(): AttemptContext {
    return {
      provider: this.provider,
      model: this.req.model,
      baseUrl: this.baseUrl,
      apiKey: this.apiKey,
      timeoutMs: this.timeoutMs,
      timedOut: this.timedOut,
      userAborted: this.userAborted,
      responseStarted: this.responseStarted,
      partialText: this.text,
      requestId: this.requestId,
      headers: this.headers,
      usage: this.responseStarted || this.text ? estimateUsage(this.req, this.text, this.reported) : undefined,
    };
  }
}
