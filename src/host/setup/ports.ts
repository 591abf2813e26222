/** What Check Setup takes from the services (the model lists name theirs in modelLists.ts, `ModelListPorts`). */
import type * as vscode from 'vscode';
import type { ProviderId } from '../../core/types';
import type { TierwiseConfig } from '../config';
import type { Ledger, Pricing } from '../prices';
import type { Telemetry } from '../telemetry';
import type { Log } from '../util';
import type { KeyStore } from './keys';
import type { ModelListService } from './modelLists';

/** Check Setup: the checks, the one-token test call and its record. */
export interface SetupPorts {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly keys: KeyStore;
  readonly modelLists: ModelListService;
  readonly telemetry: Telemetry;
  config(): TierwiseConfig;
  needsKey(id: ProviderId): boolean;
  pricing(): Pricing;
  ledger(): Ledger;
  refreshAvailable(): Promise<void>;
}
