/**
 * A typed channel to one webview: posts wait until the webview says `ready`; every incoming message is validated
 * (anything else is counted and dropped); requests are answered with a `reply` carrying their sequence number.
 * Written against a minimal webview shape so tests need no editor.
 */
import type { ReplyMsg } from '../../shared/protocol/common';

export interface WebviewLike {
  postMessage(msg: unknown): Thenable<boolean>;
  onDidReceiveMessage(listener: (msg: unknown) => void): { dispose(): unknown };
}

export interface ChannelOptions<In extends { type: string; seq: number }> {
  parse(raw: unknown): In | undefined;
  /** Handle a validated request; throw (or reject) to reply `ok: false` with the error message. */
  onRequest(msg: Exclude<In, { type: 'ready' }>): unknown;
  /** The webview (re)started and is listening. Queued posts are sent right after this returns. */
  onReady?(): void;
  /**
   * A message failed validation and was dropped (never thrown). `count` is how many so far on this channel, so a
   * caller can log the first one and stay quiet about a flood.
   */
  onInvalid?(raw: unknown, count: number): void;
}

export class WebviewChannel<Out, In extends { type: string; seq: number }> {
  private queue: Out[] = [];
  private isReady = false;
  private readonly sub: { dispose(): unknown };
  /** Messages from the webview that failed validation. */
  rejected = 0;
  /** Messages actually handed to `postMessage`. */
  sent = 0;

  constructor(
    private readonly webview: WebviewLike,
    private readonly opts: ChannelOptions<In>,
  ) {
    this.sub = webview.onDidReceiveMessage((raw) => void this.receive(raw));
  }

  get ready(): boolean {
    return this.isReady;
  }

  post(msg: Out): void {
    if (!this.isReady) {
      this.queue.push(msg);
      return;
    }
    this.send(msg);
  }

  /** The webview went away (hidden without retained context, or reloading): queue until it is ready again. */
  notReady(): void {
    this.isReady = false;
  }

  /** Forget queued posts (a full state restore replaces them). */
  clearQueue(): void {
    this.queue = [];
  }

  dispose(): void {
    this.sub.dispose();
    this.queue = [];
  }

  private send(msg: Out | ReplyMsg): void {
    this.sent++;
    void Promise.resolve(this.webview.postMessage(msg)).catch(() => undefined);
  }

  private async receive(raw: unknown): Promise<void> {
    let msg: In | undefined;
    try {
      msg = this.opts.parse(raw);
    } catch {
      msg = undefined;
    }
    if (!msg) {
      this.rejected++;
      try {
        this.opts.onInvalid?.(raw, this.rejected);
      } catch {
        /* a logging failure must not break the channel */
      }
      return;
    }
    if (msg.type === 'ready') {
      this.isReady = true;
      this.opts.onReady?.();
      const queued = this.queue;
      this.queue = [];
      for (const m of queued) this.send(m);
      return;
    }
    let reply: ReplyMsg;
    try {
      await this.opts.onRequest(msg as Exclude<In, { type: 'ready' }>);
      reply = { type: 'reply', seq: msg.seq, ok: true };
    } catch (e) {
      reply = { type: 'reply', seq: msg.seq, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    this.send(reply);
  }
}
