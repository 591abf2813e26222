/** What Compare Costs and the cost report take from the services. */
import type * as vscode from 'vscode';
import type { Router } from '../../core/routing';
import type { ChatRequest, ProviderId } from '../../core/types';
import type { TierwiseConfig } from '../config';
import type { Tokens } from '../tokens';
import type { EditorTracker, Log } from '../util';
import type { Ledger } from './ledger';
import type { Pricing } from './pricing';

export interface CostPorts {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly editors: EditorTracker;
  config(): TierwiseConfig;
  pricing(): Pricing;
  ledger(): Ledger;
  router(): Router;
  tokens(): Tokens;
  available(): ProviderId[];
  currentTask(): string;
  /** The provider's own count of a whole request, where it offers one. */
  providerCount(req: ChatRequest): Promise<number | undefined>;
}
