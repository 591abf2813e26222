/** What the request path takes from the services: `Services` has all of it; each step names the part it uses. */
import type { CallRunner } from '../../core/resilience/pipeline';
import type { Route, Router } from '../../core/routing';
import type { ChatRequest, ProviderId } from '../../core/types';
import type { TierwiseConfig } from '../config';
import type { Budget, Ledger, Pricing } from '../prices';
import type { KeyStore, ModelListService } from '../setup';
import type { Telemetry } from '../telemetry';
import type { Tokens } from '../tokens';
import type { EditorTracker, Log } from '../util';
import type { LearnedRoutingStore } from './learnedRouting';

export interface RequestPorts {
  readonly log: Log;
  readonly keys: KeyStore;
  /** The editor commands act on. */
  readonly editors: EditorTracker;
  readonly telemetry: Telemetry;
  /** The provider's own model list, where one was fetched. */
  readonly modelLists: Pick<ModelListService, 'listedModels'>;
  config(): TierwiseConfig;
  pricing(): Pricing;
  ledger(): Ledger;
  budget(): Budget;
  router(): Router;
  runner(): CallRunner;
  tokens(): Tokens;
  learnedRouting(): LearnedRoutingStore;
  /** The providers that can be called now. */
  available(): ProviderId[];
  needsKey(id: ProviderId): boolean;
  /** Asks about a destination not yet approved; the notes on where the request goes, undefined when cancelled. */
  checkDestination(provider: ProviderId): Promise<string[] | undefined>;
  /** The route's request and its fallbacks, each with a client ready. */
  candidates(route: Route): Promise<ChatRequest[]>;
  setCurrentTask(task: string): void;
}

/** Counting a text for the router, with the budget left (`countedRouteInput`). */
export type CountPorts = Pick<RequestPorts, 'config' | 'tokens' | 'budget'>;
/** The budget and price questions (`confirmSpend`). */
export type SpendPorts = Pick<RequestPorts, 'config' | 'pricing' | 'budget'>;
/** The key step (`keyReady`). */
export type KeyPorts = Pick<RequestPorts, 'needsKey' | 'keys'>;
/** The ledger record of a finished call and its export (`recordCall`). */
export type RecordPorts = Pick<RequestPorts, 'config' | 'ledger' | 'pricing' | 'telemetry'>;
