import type { Clock } from '../clock';
import { abortError } from '../clock';
import { english, msg, type Message } from '../messages';
import type { RateLimits } from './settings';
import { DIMENSIONS, parseRateLimitHeaders, type Dimension, type LimitReport } from './rateLimitHeaders';
import { WindowBudget, type Reservation } from './window';

/**
 * Client-side rate limiting: per budget key (a provider, or a provider/model) a request budget (RPM), token
 * budgets (TPM; Anthropic's input and output tokens apart) and a concurrency cap, with one FIFO queue in front.
 *
 * Limits come from the settings or, where none is configured, from the provider's rate-limit headers: the first
 * response teaches them, and until it arrives a lane with nothing configured sends one request at a time (a
 * cautious start, so no burst goes out blind). Where both exist the stricter wins. Every later response's
 * remaining counts and resets keep the budgets in line with what the provider has counted.
 *
 * The budgets are sliding one-minute windows of reservations rather than continuously refilled buckets: a bucket
 * that starts full and refills continuously lets through up to twice its limit in the first minute, which a
 * server counting per window answers with 429s. A window never admits more than the limit in any minute, so it
 * is safe against both kinds of server and loses nothing in steady state. Each reservation can be settled to the
 * real amount later, and response headers that report what is left shrink the budget.
 *
 * bottleneck / p-queue / cockatiel's bulkhead were considered: none takes an injected clock (they use timers and
 * Date.now), a request cancelled while queued stays in cockatiel's queue until its turn, and none can settle a
 * token reservation after the fact. So this is a small primitive of our own.
 */

/** A granted slot. Always `release()` it (in a finally). */
export interface Permit {
  /** Replaces the token estimates with the real usage. */
  settle(inputTokens: number, outputTokens?: number): void;
  /**
   * Lets the budgets learn from the headers of a response (a success or an error response). Call it once a
   * response has arrived, whether or not it carried rate-limit headers: the first one ends the cautious start.
   */
  adapt(headers: Record<string, string>): void;
  /** Frees the concurrency slot. Idempotent. */
  release(): void;
  /** ms spent queued. */
  readonly waitedMs: number;
}

export interface AcquireOptions {
  /** The request's max_tokens: reserved against output-token budgets, and against the token budget when it
   * counts output too. Default 0. */
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /** Called once if the request has to wait, with "queued (rate limit)", "queued (concurrency limit)" or
   * "queued (learning the rate limits)", in English and as a message for the UI. */
  onQueued?: (reason: string, text: Message) => void;
}

interface Need {
  input: number;
  maxOutput: number;
}

interface Waiter {
  need: Need;
  enqueuedAt: number;
  resolve(p: Permit): void;
  reject(e: unknown): void;
  cleanup(): void;
}

class Lane {
  readonly budgets: Record<Dimension, WindowBudget>;
  concurrency = Infinity;
  active = 0;
  readonly queue: Waiter[] = [];
  timer?: AbortController;
  /** RPM or TPM configured by the user. */
  configured = false;
  /** A response has come back (with or without rate-limit headers). */
  heard = false;
  configuredBasis?: 'input' | 'total';
  learnedBasis?: 'input' | 'total';
  /** Recent settled requests: the input tokens estimated for them and the input tokens the provider counted. */
  private readonly samples: { estimated: number; actual: number }[] = [];

  constructor(windowMs: number) {
    this.budgets = {
      requests: new WindowBudget(undefined, windowMs),
      tokens: new WindowBudget(undefined, windowMs),
      inputTokens: new WindowBudget(undefined, windowMs),
      outputTokens: new WindowBudget(undefined, windowMs),
    };
  }

  setLimits(l: RateLimits): void {
    this.budgets.requests.setConfigured(l.rpm);
    this.budgets.tokens.setConfigured(l.tpm);
    this.concurrency = l.concurrency ?? Infinity;
    this.configured = l.rpm !== undefined || l.tpm !== undefined;
    this.configuredBasis = l.tpmBasis;
  }

  /**
   * Cautious start: with no limits configured and no response seen yet, one request at a time, so that no burst
   * goes out before the provider's headers say what its limits are.
   */
  get learning(): boolean {
    return !this.configured && !this.heard;
  }

  get cap(): number {
    return this.learning ? Math.min(1, this.concurrency) : this.concurrency;
  }

  /** Whether the token budget counts output tokens: as configured, else as learned, else yes. */
  get countsOutput(): boolean {
    return (this.configuredBasis ?? this.learnedBasis ?? 'total') === 'total';
  }

  /** Units of each budget a request takes (`output` = max_tokens when reserving, the real output when settling). */
  amounts(input: number, output: number): Record<Dimension, number> {
    return { requests: 1, tokens: input + (this.countsOutput ? output : 0), inputTokens: input, outputTokens: output };
  }

  /**
   * How many input tokens the provider counts for each token the caller estimated, learned from the usage of recent
   * requests (token-weighted over the last SCALE_SAMPLES). 1 until a request has been settled. An estimator that
   * is off by a steady factor (a rough heuristic, another tokenizer) is thereby corrected after one response.
   */
  get scale(): number {
    let estimated = 0;
    let actual = 0;
    for (const s of this.samples) {
      estimated += s.estimated;
      actual += s.actual;
    }
    // Bounded: a provider's odd usage report (images, a tool's hidden prompt) must not stall or flood the lane.
    return estimated > 0 ? Math.min(MAX_SCALE, Math.max(1 / MAX_SCALE, actual / estimated)) : 1;
  }

  /** What a request reserves: its input estimate scaled by what the provider has been counting. */
  reserve(need: Need): Record<Dimension, number> {
    return this.amounts(Math.ceil(need.input * this.scale), need.maxOutput);
  }

  /**
   * Records an estimate against the provider's count (skipped when either is too small to say anything). Returns
   * the sample, so that a count read from the headers can be replaced by the usage once it arrives.
   */
  learnScale(estimated: number, actual: number): { estimated: number; actual: number } | undefined {
    if (estimated < MIN_SCALE_SAMPLE || actual <= 0) return undefined;
    const sample = { estimated, actual };
    this.samples.push(sample);
    if (this.samples.length > SCALE_SAMPLES) this.samples.shift();
    return sample;
  }

  get scaleKnown(): boolean {
    return this.samples.length > 0;
  }
}

/** The learned scale stays within [1/MAX_SCALE, MAX_SCALE]. */
const MAX_SCALE = 4;
/** Settled requests the estimate's scale is learned over. */
const SCALE_SAMPLES = 32;
/** Estimates below this many tokens say little about the estimator's error (overheads dominate). */
const MIN_SCALE_SAMPLE = 16;

/** Why a queue's wake-up is cancelled when it is planned again: one shared reason, not a new DOMException each time. */
const REPLANNED = new Error('the queue was planned again');

export class RateLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  private lane(key: string): Lane {
    let l = this.lanes.get(key);
    if (!l) {
      l = new Lane(this.windowMs);
      this.lanes.set(key, l);
    }
    return l;
  }

  /** Budgets of a key, for display and tests. */
  snapshot(key: string): {
    rpmUsed: number;
    tpmUsed: number;
    rpmLimit?: number;
    tpmLimit?: number;
    inputTpmLimit?: number;
    outputTpmLimit?: number;
    tpmBasis: 'input' | 'total';
    /** Provider-counted input tokens per estimated token, as learned (1 until a request is settled). */
    estimateScale: number;
    learning: boolean;
    active: number;
    queued: number;
  } {
    const l = this.lane(key);
    const now = this.clock.now();
    return {
      rpmUsed: l.budgets.requests.used(now),
      tpmUsed: l.budgets.tokens.used(now),
      rpmLimit: l.budgets.requests.limit,
      tpmLimit: l.budgets.tokens.limit,
      inputTpmLimit: l.budgets.inputTokens.limit,
      outputTpmLimit: l.budgets.outputTokens.limit,
      tpmBasis: l.countsOutput ? 'total' : 'input',
      estimateScale: l.scale,
      learning: l.learning,
      active: l.active,
      queued: l.queue.length,
    };
  }

  /**
   * Waits (FIFO per key) until a request of `inputTokens` (and `options.maxOutputTokens`) fits all budgets of
   * `key`, then reserves it. Rejects with an AbortError if `signal` aborts while queued.
   */
  acquire(key: string, limits: RateLimits, inputTokens: number, options: AcquireOptions = {}): Promise<Permit> {
    const lane = this.lane(key);
    lane.setLimits(limits);
    const { signal, onQueued } = options;
    const need: Need = { input: Math.max(0, inputTokens), maxOutput: Math.max(0, options.maxOutputTokens ?? 0) };
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const enqueuedAt = this.clock.now();
    if (lane.queue.length === 0 && this.blockedFor(lane, need) === 0) {
      return Promise.resolve(this.grant(lane, need, enqueuedAt));
    }
    return new Promise<Permit>((resolve, reject) => {
      const onAbort = () => {
        const i = lane.queue.indexOf(waiter);
        if (i >= 0) lane.queue.splice(i, 1);
        reject(abortError(signal));
        this.pump(lane);
      };
      const waiter: Waiter = {
        need,
        enqueuedAt,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.queue.push(waiter);
      const reason =
        lane.active < lane.cap ? msg('errors.call.queuedRateLimit') : lane.active < lane.concurrency ? msg('errors.call.queuedLearning') : msg('errors.call.queuedConcurrency');
      onQueued?.(english(reason), reason);
      this.pump(lane);
    });
  }

  /** 0 when the request fits now, Infinity when it waits for a concurrency slot, else ms until the budgets allow it. */
  private blockedFor(lane: Lane, need: Need): number {
    if (lane.active >= lane.cap) return Infinity;
    const now = this.clock.now();
    const amounts = lane.reserve(need);
    return Math.max(...DIMENSIONS.map((d) => lane.budgets[d].waitMs(amounts[d], now)));
  }

  private pump(lane: Lane): void {
    if (lane.timer) {
      lane.timer.abort(REPLANNED);
      lane.timer = undefined;
    }
    while (lane.queue.length > 0) {
      const head = lane.queue[0]!;
      const wait = this.blockedFor(lane, head.need);
      if (wait === Infinity) return; // a release (or the first response) will pump again
      if (wait > 0) {
        const timer = new AbortController();
        lane.timer = timer;
        this.clock.sleep(wait, timer.signal).then(
          () => {
            if (lane.timer === timer) lane.timer = undefined;
            this.pump(lane);
          },
          () => undefined, // re-planned or cancelled
        );
        return;
      }
      lane.queue.shift();
      head.cleanup();
      head.resolve(this.grant(lane, head.need, head.enqueuedAt));
    }
  }

  private grant(lane: Lane, need: Need, enqueuedAt: number): Permit {
    const now = this.clock.now();
    lane.active++;
    const amounts = lane.reserve(need);
    const held = DIMENSIONS.map((d) => {
      const budget = lane.budgets[d];
      const before = budget.used(now);
      return {
        d,
        budget,
        before,
        reservation: budget.take(amounts[d], now),
        then: { at: now, used: before + amounts[d] },
        heldBack: undefined as Reservation | undefined,
      };
    });
    let released = false;
    let settled = false;
    let basisReport: LimitReport | undefined;
    let sample: { estimated: number; actual: number } | undefined;
    return {
      waitedMs: now - enqueuedAt,
      settle: (input, output = 0) => {
        if (!settled && input > 0) {
          if (sample) sample.actual = input;
          else lane.learnScale(need.input, input);
          if (basisReport && !lane.configuredBasis && !lane.learnedBasis) this.learnBasis(lane, basisReport, { input, maxOutput: need.maxOutput });
        }
        settled = true;
        const actual = lane.amounts(input, output);
        for (const h of held) {
          if (h.d === 'requests') continue;
          // The provider's remaining count already held this request at its real size: what the headers made us
          // hold back for it is now in its own reservation.
          const growth = actual[h.d] - h.reservation.amount;
          if (growth > 0 && h.heldBack) h.heldBack.amount = Math.max(0, h.heldBack.amount - growth);
          h.budget.settle(h.reservation, actual[h.d]);
        }
        this.pump(lane);
      },
      adapt: (headers) => {
        const t = this.clock.now();
        const report = parseRateLimitHeaders(headers, t);
        const tokens = held[1]!;
        // What the provider counts is judged once the request's real input is known (at settle): an estimate that
        // is off could pass for output tokens counted, or hide them.
        if (!lane.configuredBasis && !lane.learnedBasis && tokens.before === 0) basisReport = report.tokens;
        // A request alone in an input-token budget (Anthropic's input-tokens-*, or a token budget known to count
        // input only) is counted by the headers before its usage arrives: the first such response sets the scale
        // of the estimates, so that the requests it lets through are not reserved at an estimate that is off.
        if (!lane.scaleKnown && !settled) {
          const inputOnly = held[2]!.before === 0 && report.inputTokens.limit !== undefined ? report.inputTokens : !lane.countsOutput && tokens.before === 0 ? report.tokens : undefined;
          if (inputOnly?.limit !== undefined && inputOnly.remaining !== undefined) sample = lane.learnScale(need.input, inputOnly.limit - inputOnly.remaining);
        }
        for (const h of held) {
          h.budget.confirm(h.reservation, t);
          h.heldBack = h.budget.adapt(report[h.d], t, h.then);
        }
        lane.heard = true;
        this.pump(lane);
      },
      release: () => {
        if (released) return;
        released = true;
        lane.active--;
        this.pump(lane);
      },
    };
  }

  /**
   * What the provider counts against its token limit, from the first response whose request was alone in the
   * budget: the tokens it reports used are compared with the request's input as the provider counted it (its usage)
   * and with that input + max_tokens, and the nearer wins. (Usage the provider knows of and we do not only makes it
   * look like more was counted: the safe side.)
   */
  private learnBasis(lane: Lane, report: LimitReport, need: Need): void {
    if (report.limit === undefined || report.remaining === undefined || need.maxOutput === 0) return;
    const charged = report.limit - report.remaining;
    lane.learnedBasis = Math.abs(charged - need.input) < Math.abs(charged - (need.input + need.maxOutput)) ? 'input' : 'total';
  }
}
