import type { Clock } from '../clock';
import { ProviderError, errorKindName, isProviderError } from '../errors';
import { english, msg, type Message } from '../messages';
import type { CallResult, ChatRequest, ProviderId, StreamEvent, Tier, Usage } from '../types';
import { ZERO_USAGE } from '../types';
import { BreakerRegistry } from './breaker';
import type { BreakerState } from './breaker';
import { PrefixMemory, applyPromptCaching, minCacheableTokens } from './caching';
import { RateLimiter } from './limiter';
import type { Permit } from './limiter';
import { countsAgainstProvider, describeRetry, isFallbackWorthy, retryDelay, shouldRetry } from './retry';
import { fallbackChain, limitsFor } from './settings';
import type { ResilienceSettings } from './settings';
import { streamWithTimeouts } from './timeouts';
import type { StreamingProvider } from './timeouts';

export interface CandidateRef {
  provider: ProviderId;
  model: string;
}

/** What the UI hears while a call runs. Each text is in English (`reason`, `message`) and as a message for the UI. */
export type CallEvent =
  | { type: 'queued'; reason: string; reasonText: Message; provider: ProviderId; model: string }
  | { type: 'attempt'; provider: ProviderId; model: string; attempt: number; of: number }
  | { type: 'retry'; error: ProviderError; delayMs: number; attempt: number; of: number; message: string; text: Message }
  | { type: 'fallback'; from: CandidateRef; to: CandidateRef; reason: string; reasonText: Message; /** How the candidate left failed. */ error?: ProviderError }
  | { type: 'skipped'; provider: ProviderId; model: string; reason: string; reasonText: Message }
  | StreamEvent;

export interface CallOutcome {
  /** Set on success. */
  result?: CallResult;
  /** Set on failure (including cancellation: kind 'aborted'). */
  error?: ProviderError;
  /** The candidate that produced the result or the last error. */
  provider: ProviderId;
  model: string;
  /** Retries made, over all candidates. */
  retries: number;
  /** Moves to a later candidate. */
  fallbacks: number;
  /** Text shown to the user (all of it on success; what had streamed before a failure). */
  partialText: string;
  /** Usage of the final attempt as far as known. */
  usage: Usage;
}

export interface CallRunnerDeps {
  clock: Clock;
  providerFor(provider: ProviderId): StreamingProvider;
  settings: ResilienceSettings;
  /** Estimated input tokens of a request; the limiter reserves this plus `maxTokens`. */
  estimateTokens(req: ChatRequest): number;
  /** Token count of one text, for placing cache breakpoints. Default: ceil(chars / 4). */
  countTokens?(text: string): number;
  /** Random source for backoff jitter (tests pass a constant). */
  random?: () => number;
  /**
   * Waits for this call's turn of the event loop before an attempt's synchronous work (see turns.ts), so that many
   * calls started at once do not hold the loop together. Default: no wait.
   */
  yieldTurn?: () => Promise<void>;
  /** Told of each call's outcome once it has ended (for example, to calibrate token estimates). Must not throw. */
  onOutcome?(candidates: readonly ChatRequest[], outcome: CallOutcome): void;
}

/**
 * The candidates of a call: the request itself, then the tier's fallback chain (`tierwise.fallback`), each as a
 * copy of the request with its provider and model; duplicates dropped.
 */
export function withFallbacks(req: ChatRequest, tier: Tier, settings: ResilienceSettings): ChatRequest[] {
  const out: ChatRequest[] = [req];
  for (const c of fallbackChain(settings, tier)) {
    if (out.some((r) => r.provider === c.provider && r.model === c.model)) continue;
    out.push({ ...req, provider: c.provider, model: c.model });
  }
  return out;
}

const ref = (r: ChatRequest): CandidateRef => ({ provider: r.provider, model: r.model });

/** An error's text as a message: its own, else its English as it is. */
const textOf = (e: ProviderError): Message => e.text ?? msg('common.asIs', e.message);

/** Tierwise holds a provider back after repeated failures: the error a skipped candidate leaves (`code` 'circuitOpen'). */
export function circuitOpenError(provider: ProviderId, model: string, reason: Message): ProviderError {
  return new ProviderError({ kind: 'server', code: 'circuitOpen', text: msg('errors.call.skipped', provider, reason), provider, model });
}

/** Why a candidate was left: "529 overloaded after 2 attempts: <the error>". */
function leftBecause(err: ProviderError, attempts: number): Message {
  const kind = errorKindName(err.kind);
  const text = textOf(err);
  if (attempts > 1) return err.status ? msg('errors.call.leftStatusAfter', err.status, kind, attempts, text) : msg('errors.call.leftAfter', kind, attempts, text);
  return err.status ? msg('errors.call.leftStatus', err.status, kind, text) : msg('errors.call.left', kind, text);
}

function toProviderError(e: unknown, req: ChatRequest, signal?: AbortSignal): ProviderError {
  if (isProviderError(e)) {
    if (signal?.aborted && e.kind !== 'aborted') {
      return new ProviderError({ kind: 'aborted', text: msg('errors.call.cancelled'), provider: req.provider, model: req.model, partialText: e.partialText, cause: e });
    }
    return e;
  }
  if (signal?.aborted) return new ProviderError({ kind: 'aborted', text: msg('errors.call.cancelled'), provider: req.provider, model: req.model, cause: e });
  return new ProviderError({
    kind: 'unknown',
    message: e instanceof Error ? e.message : String(e),
    provider: req.provider,
    model: req.model,
    cause: e,
  });
}

/**
 * Runs one call with everything around it: prompt-cache marks, rate limits and concurrency (FIFO queue), the
 * circuit breaker of each provider, timeouts, retries with backoff, and the fallback chain. Never throws: the
 * outcome carries either a result or an error.
 */
export class CallRunner {
  private settings: ResilienceSettings;
  private readonly limiter: RateLimiter;
  private readonly breakers: BreakerRegistry;
  /** Hashes of recently sent prompt prefixes (never their text), for the cache-write decision. */
  private readonly prefixes: PrefixMemory;

  constructor(private readonly deps: CallRunnerDeps) {
    this.prefixes = new PrefixMemory(() => deps.clock.now());
    this.settings = deps.settings;
    this.limiter = new RateLimiter(deps.clock);
    this.breakers = new BreakerRegistry(deps.clock, deps.settings.breaker);
  }

  updateSettings(s: ResilienceSettings): void {
    this.settings = s;
    this.breakers.setOptions(s.breaker);
  }

  breakerState(provider: ProviderId): BreakerState {
    return this.breakers.get(provider).state;
  }

  /** Current budgets for a provider/model (for a status view). */
  limits(provider: ProviderId, model: string): ReturnType<RateLimiter['snapshot']> {
    return this.limiter.snapshot(limitsFor(this.settings, provider, model).key);
  }

  async run(candidates: ChatRequest[], onEvent: (e: CallEvent) => void, signal?: AbortSignal): Promise<CallOutcome> {
    const outcome = await this.runCandidates(candidates, onEvent, signal);
    this.deps.onOutcome?.(candidates, outcome);
    return outcome;
  }

  private async runCandidates(candidates: ChatRequest[], onEvent: (e: CallEvent) => void, signal?: AbortSignal): Promise<CallOutcome> {
    if (candidates.length === 0) throw new Error('CallRunner.run: no candidates');
    const s = this.settings;
    const emit = (e: CallEvent) => {
      try {
        onEvent(e);
      } catch {
        // a listener's failure must not break the call
      }
    };
    let retries = 0;
    let fallbacks = 0;
    let lastError: ProviderError | undefined;
    let last: ChatRequest = candidates[0]!;
    let leaveReason: Message = msg('common.asIs', '');
    let usage: Usage = ZERO_USAGE;

    for (let c = 0; c < candidates.length; c++) {
      const req = this.prepare(candidates[c]!);
      const breaker = this.breakers.get(req.provider);
      if (breaker.isOpen()) {
        const reason = msg('errors.call.circuitOpenFor', Math.ceil(breaker.remainingCooldownMs / 1000));
        emit({ type: 'skipped', provider: req.provider, model: req.model, reason: english(reason), reasonText: reason });
        lastError ??= circuitOpenError(req.provider, req.model, reason);
        if (c === 0) {
          last = req;
          leaveReason = reason;
        }
        continue;
      }
      if (c > 0 && (last.provider !== req.provider || last.model !== req.model)) {
        fallbacks++;
        emit({ type: 'fallback', from: ref(last), to: ref(req), reason: english(leaveReason), reasonText: leaveReason, ...(lastError ? { error: lastError } : {}) });
      }
      last = req;

      const of = s.retry.maxRetries + 1;
      for (let attempt = 1; ; attempt++) {
        if (!breaker.tryAcquire()) {
          leaveReason = msg('errors.call.circuitOpen');
          emit({ type: 'skipped', provider: req.provider, model: req.model, reason: english(leaveReason), reasonText: leaveReason });
          lastError ??= circuitOpenError(req.provider, req.model, leaveReason);
          break;
        }
        const r = await this.attempt(req, attempt, of, emit, signal);
        usage = r.usage;
        if (r.result) {
          breaker.success();
          return { result: r.result, provider: req.provider, model: req.model, retries, fallbacks, partialText: r.result.text, usage: r.result.usage };
        }
        const err = r.error!;
        lastError = err;
        if (countsAgainstProvider(err)) breaker.failure();
        else breaker.neutral();
        const final = { error: err, provider: req.provider, model: req.model, retries, fallbacks, partialText: r.text, usage };
        if (err.kind === 'aborted' || r.text) return final; // never restart a stream the user has seen text from

        const decision = shouldRetry(err);
        const delay =
          decision.retry && attempt < of ? retryDelay(err, attempt, this.deps.clock.now(), { ...s.retry, random: this.deps.random }) : undefined;
        if (delay && !breaker.isOpen()) {
          retries++;
          const text = describeRetry(err, delay.delayMs, attempt, s.retry.maxRetries);
          emit({ type: 'retry', error: err, delayMs: delay.delayMs, attempt, of: s.retry.maxRetries, message: english(text), text });
          try {
            await this.deps.clock.sleep(delay.delayMs, signal);
          } catch (e) {
            return { ...final, error: toProviderError(e, req, signal), retries };
          }
          continue;
        }
        if (!isFallbackWorthy(err)) return final;
        leaveReason = leftBecause(err, attempt);
        break;
      }
    }
    return {
      error: lastError ?? new ProviderError({ kind: 'unknown', text: msg('errors.call.noCandidate'), provider: last.provider, model: last.model }),
      provider: last.provider,
      model: last.model,
      retries,
      fallbacks,
      partialText: '',
      usage,
    };
  }

  /** Adds prompt-cache breakpoints when caching is on; removes any (a prompt file's too) when it is off. */
  private prepare(req: ChatRequest): ChatRequest {
    return applyPromptCaching(req, {
      enabled: this.settings.cache.enabled,
      minTokens: minCacheableTokens(req.provider, req.model),
      countTokens: (t) => this.countTokens(t),
      memory: this.prefixes,
    });
  }

  private countTokens(text: string): number {
    return this.deps.countTokens ? this.deps.countTokens(text) : Math.ceil(text.length / 4);
  }

  /** One attempt: wait for the limiter, stream under timeouts, settle the budgets. */
  private async attempt(
    req: ChatRequest,
    attempt: number,
    of: number,
    emit: (e: CallEvent) => void,
    signal?: AbortSignal,
  ): Promise<{ result?: CallResult; error?: ProviderError; text: string; usage: Usage }> {
    await this.deps.yieldTurn?.();
    const s = this.settings;
    const { key, limits } = limitsFor(s, req.provider, req.model);
    const estimate = Math.max(0, Math.ceil(this.deps.estimateTokens(req)));
    let permit: Permit;
    try {
      permit = await this.limiter.acquire(key, limits, estimate, {
        maxOutputTokens: req.maxTokens,
        signal,
        onQueued: (reason, reasonText) => emit({ type: 'queued', reason, reasonText, provider: req.provider, model: req.model }),
      });
    } catch (e) {
      return { error: toProviderError(e, req, signal), text: '', usage: ZERO_USAGE };
    }
    emit({ type: 'attempt', provider: req.provider, model: req.model, attempt, of });
    let text = '';
    let usage: Usage = ZERO_USAGE;
    let usageSeen = false;
    // The budgets learn from the first response's headers as soon as they arrive (the 'start' event), else
    // from the finished result or the error response.
    let adapted = false;
    const adapt = (headers: Record<string, string>) => {
      if (adapted) return;
      adapted = true;
      permit.adapt(headers);
    };
    try {
      const provider = this.deps.providerFor(req.provider);
      for await (const ev of streamWithTimeouts(provider, req, s.timeouts, this.deps.clock, signal)) {
        if (ev.type === 'start' && ev.headers) adapt(ev.headers);
        if (ev.type === 'text') text += ev.text;
        else if (ev.type === 'usage') {
          usage = ev.usage;
          usageSeen = true;
        } else if (ev.type === 'finish') {
          usage = ev.result.usage;
          usageSeen = true;
          adapt(ev.result.headers);
          permit.settle(usage.inputTokens, usage.outputTokens);
          emit(ev);
          return { result: ev.result, text, usage };
        }
        emit(ev);
      }
      throw new ProviderError({
        kind: text ? 'streamInterrupted' : 'malformed',
        text: msg('errors.call.noFinalResult'),
        provider: req.provider,
        model: req.model,
        partialText: text || undefined,
      });
    } catch (e) {
      let err = toProviderError(e, req, signal);
      if (text && err.kind !== 'aborted' && err.kind !== 'timeout' && err.kind !== 'streamInterrupted') {
        err = new ProviderError({
          kind: 'streamInterrupted',
          text: msg('errors.call.brokeOff', textOf(err)),
          provider: err.provider,
          model: err.model,
          status: err.status,
          requestId: err.requestId,
          headers: err.headers,
          code: err.code ?? err.kind,
          partialText: text,
          usage: err.usage,
          cause: err,
        });
      }
      if (text) err.partialText = text;
      // Usage known so far: reported by the provider, else estimated from the request and the text that arrived.
      const known: Usage | undefined =
        err.usage ?? (usageSeen ? usage : text ? { ...ZERO_USAGE, inputTokens: Math.ceil(this.deps.estimateTokens(req)), outputTokens: this.countTokens(text) } : undefined);
      if (known && !err.usage) err.usage = known;
      if (err.status !== undefined || Object.keys(err.headers).length > 0) adapt(err.headers); // a response came back
      if (known) permit.settle(known.inputTokens, known.outputTokens);
      else if (err.status !== undefined && err.status >= 400 && err.status < 500) permit.settle(0, 0);
      return { error: err, text, usage: known ?? ZERO_USAGE };
    } finally {
      permit.release();
    }
  }
}
