/** What batch jobs take from the services: the request path's steps they share, and the extension's global state. */
import type * as vscode from 'vscode';
import type { RequestPorts } from '../requests';

export type BatchPorts = Pick<
  RequestPorts,
  'config' | 'log' | 'keys' | 'editors' | 'telemetry' | 'pricing' | 'ledger' | 'budget' | 'router' | 'tokens' | 'needsKey' | 'checkDestination' | 'setCurrentTask'
> & { readonly context: vscode.ExtensionContext };

/** Polling and results: the key, the ledger and the export. */
export type WatchPorts = Pick<BatchPorts, 'config' | 'keys' | 'log' | 'pricing' | 'ledger' | 'telemetry'>;
