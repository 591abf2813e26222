import type { Clock } from '../clock';
import { ProviderError } from '../errors';
import { msg } from '../messages';
import type { ChatRequest, StreamEvent } from '../types';

export interface StreamTimeouts {
  /** Request sent until the first stream event (the provider's 'start', sent once response headers arrive). */
  connectMs: number;
  /** First event until the first text delta. */
  firstTokenMs: number;
  /** Longest gap between two events once text flows. */
  idleMs: number;
}

/** The part of a provider the pipeline needs. */
export interface StreamingProvider {
  stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
}

type Phase = 'connect' | 'firstToken' | 'idle';

const TIMED_OUT: unique symbol = Symbol('timedOut');
/** Why a watchdog sleep is cancelled when the event came in time: one shared reason, not a new DOMException per event. */
const ARRIVED = new Error('the stream event arrived in time');

/**
 * Runs `provider.stream(req)` under three watchdogs timed by the Clock port. When one fires, the underlying request
 * is aborted and a `timeout` ProviderError is thrown carrying the text streamed so far. The caller's `signal`
 * still cancels everything (the provider then throws its own 'aborted' error).
 */
export async function* streamWithTimeouts(
  provider: StreamingProvider,
  req: ChatRequest,
  timeouts: StreamTimeouts,
  clock: Clock,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  const watchdog = new AbortController();
  const combined = signal ? AbortSignal.any([signal, watchdog.signal]) : watchdog.signal;
  const iterator = provider.stream(req, combined)[Symbol.asyncIterator]();
  let phase: Phase = 'connect';
  let text = '';
  let finished = false;
  try {
    for (;;) {
      const limit = phase === 'connect' ? timeouts.connectMs : phase === 'firstToken' ? timeouts.firstTokenMs : timeouts.idleMs;
      const timer = new AbortController();
      const next = iterator.next();
      const timeout = clock.sleep(limit, timer.signal).then(
        (): typeof TIMED_OUT => TIMED_OUT,
        () => undefined,
      );
      let r: IteratorResult<StreamEvent> | typeof TIMED_OUT | undefined;
      try {
        r = await Promise.race([next, timeout]);
      } finally {
        timer.abort(ARRIVED);
      }
      if (r === TIMED_OUT) {
        next.catch(() => undefined); // the aborted request rejects; nobody waits for it any more
        const what =
          phase === 'connect' ? msg('errors.call.noResponse', limit) : phase === 'firstToken' ? msg('errors.call.noText', limit) : msg('errors.call.stalled', limit);
        const err = new ProviderError({
          kind: 'timeout',
          text: msg('errors.call.timedOut', what),
          provider: req.provider,
          model: req.model,
          code: `${phase}Timeout`,
          partialText: text || undefined,
        });
        watchdog.abort(err);
        throw err;
      }
      if (r === undefined || r.done) {
        finished = true;
        return;
      }
      const ev = r.value;
      if (phase === 'connect') phase = 'firstToken';
      if (ev.type === 'text') {
        phase = 'idle';
        text += ev.text;
      }
      yield ev;
    }
  } finally {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
