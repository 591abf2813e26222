import type * as vscode from 'vscode';
import { messageText, toolsText, type ChatRequest, type ProviderId } from '../../core/types';
import { TokenCounter, WorkerBackend, type TokenCount } from '../../core/tokens/client';
import type { CalibrationSource } from '../../core/tokens/calibration';
import type { Log } from '../util';

/** Token counting for the host: a worker-backed counter, started on first use. */
export class Tokens implements vscode.Disposable {
  private counter_: TokenCounter | undefined;
  constructor(
    private readonly workerPath: string,
    private readonly log: Log,
    /** Corrections of the estimates for DashScope models without a local tokenizer. */
    private readonly calibration?: CalibrationSource,
  ) {}

  counter(): TokenCounter {
    if (!this.counter_) {
      const backend = new WorkerBackend(this.workerPath, {
        onReady: (enc, ms) => this.log.info(`tokenizer ${enc} ready in ${ms.toFixed(0)} ms`),
      });
      this.counter_ = new TokenCounter(backend, this.calibration);
    }
    return this.counter_;
  }

  /** The best count available without waiting long: exact when the encoder is loaded, else an estimate. */
  async countBest(provider: ProviderId, model: string, text: string): Promise<TokenCount> {
    const c = this.counter();
    if (c.isReady(provider, model)) return c.count(provider, model, text);
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 1500));
    const exact = await Promise.race([c.count(provider, model, text).catch(() => undefined), timeout]);
    return exact ?? c.approximate(provider, model, text);
  }

  dispose(): void {
    void this.counter_?.dispose();
  }
}

/** The text of a request as counting sees it: tools, system prompt and messages. */
export function requestText(req: Pick<ChatRequest, 'system' | 'messages' | 'tools'>): string {
  return [toolsText(req.tools), req.system ?? '', ...req.messages.map(messageText)].join('\n');
}
