import * as vscode from 'vscode';
import type { Memento } from 'vscode';
import type { AutoRouting } from '../../core/routing';
import { LearnedRouting } from '../../core/routing/learned';
import type { Tier } from '../../core/types';
import type { Log } from '../util';

const KEY = 'tierwise.learnedRouting.v1';

/**
 * What the user taught the router, in the extension's global state (this machine only): the features of
 * auto-routed requests they escalated or moved to another tier (numbers, never the text) and the tier they wanted.
 */
export class LearnedRoutingStore {
  private readonly learned: LearnedRouting;

  constructor(
    private readonly state: Memento,
    private readonly log: Log,
  ) {
    this.learned = LearnedRouting.fromJSON(state.get<unknown>(KEY));
  }

  get size(): number {
    return this.learned.size;
  }

  /** The matcher for the router's port. */
  readonly match: LearnedRouting['match'] = (features) => this.learned.match(features);

  /** Records that the user wanted `tier` for an auto-routed request (no-op for non-auto routes or the same tier). */
  async record(auto: AutoRouting | undefined, tier: Tier, from: Tier): Promise<void> {
    if (!auto || tier === from) return;
    this.learned.add(auto.assessment.features, tier, from, Date.now());
    await this.save();
  }

  async reset(): Promise<void> {
    this.learned.clear();
    await this.save();
  }

  private async save(): Promise<void> {
    try {
      await this.state.update(KEY, this.learned.toJSON());
    } catch (e) {
      this.log.warn(`could not save learned routing: ${String(e)}`);
    }
  }
}

/** "Tierwise: Reset Learned Routing". */
export function registerLearnedRoutingCommands(store: () => LearnedRoutingStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('tierwise.resetLearnedRouting', async () => {
      const s = store();
      const n = s.size;
      await s.reset();
      void vscode.window.showInformationMessage(
        n === 0
          ? vscode.l10n.t('Tierwise: nothing was learned yet.')
          : n === 1
            ? vscode.l10n.t('Tierwise: forgot 1 learned routing choice. Requests are routed by the rules again.')
            : vscode.l10n.t('Tierwise: forgot {0} learned routing choices. Requests are routed by the rules again.', n),
      );
    }),
  ];
}
