/** What VS Code's chat takes from the services: the request path's steps, the provider's own counts, the model lists. */
import type * as vscode from 'vscode';
import type { ChatRequest } from '../../core/types';
import type { RequestPorts } from '../requests';
import type { ModelListService } from '../setup';

export interface ChatPorts
  extends Pick<
    RequestPorts,
    'config' | 'log' | 'keys' | 'editors' | 'telemetry' | 'pricing' | 'ledger' | 'budget' | 'router' | 'runner' | 'tokens' | 'available' | 'needsKey' | 'checkDestination' | 'candidates'
  > {
  readonly modelLists: Pick<ModelListService, 'onDidChange'>;
  readonly onDidChangeSettings: vscode.Event<void>;
  /** The provider's own count of a whole request, where it offers one. */
  providerCount(req: ChatRequest): Promise<number | undefined>;
  refreshAvailable(): Promise<void>;
}
