/** What prompt-file support takes from the services: counting, prices, settings and when they change. */
import type * as vscode from 'vscode';
import type { TierwiseConfig } from '../config';
import type { Pricing } from '../prices';
import type { QwenCalibrationStore, Tokens } from '../tokens';
import type { Log } from '../util';

export interface PromptPorts {
  readonly log: Log;
  readonly onDidChangeSettings: vscode.Event<void>;
  config(): TierwiseConfig;
  pricing(): Pricing;
  tokens(): Tokens;
  qwenCalibration(): QwenCalibrationStore;
}
