/** What the status bar reads from the services; none of it loads what is not loaded yet but the token counter. */
import type { Spend } from '../../core/pricing';
import type { Router } from '../../core/routing';
import type { TierwiseConfig } from '../config';
import type { Budget, Pricing } from '../prices';
import type { KeyStore, ModelListService } from '../setup';
import type { Tokens } from '../tokens';
import type { EditorTracker, Log } from '../util';

export interface StatusPorts {
  readonly log: Log;
  readonly keys: KeyStore;
  readonly editors: EditorTracker;
  readonly modelLists: ModelListService;
  config(): TierwiseConfig;
  pricing(): Pricing;
  pricingIfLoaded(): Pricing | undefined;
  spendIfLoaded(): Spend | undefined;
  budgetIfLoaded(): Budget | undefined;
  router(): Router;
  tokens(): Tokens;
  currentTask(): string;
}
