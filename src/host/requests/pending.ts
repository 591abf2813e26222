/** What a request is before it is routed, and where its answer goes: shared by every step of sending. */
import type * as vscode from 'vscode';
import type { CallSource } from '../../core/pricing';
import type { RouteOverride } from '../../core/routing';
import type { ChatRequest, ProviderId, Tier } from '../../core/types';
import type { AnswerHandle, AnswerInit } from '../panels';

/** What the user asked for, kept whole so that Retry and Escalate can run it again. */
export interface PendingRequest {
  task: string;
  title: string;
  text: string;
  question?: string;
  languageId?: string;
  fileName?: string;
  override?: RouteOverride;
  /** The user chose `override` for this request just now (the ⚙ of Run Task): learned from once. */
  overrideChosen?: boolean;
  /** The editor and selection the answer may be inserted into. */
  target?: { uri: vscode.Uri; selection: vscode.Selection };
  /** Where it came from, for the ledger (default `panel`: an editor command). */
  source?: CallSource;
  /** Set by Escalate: the tier of the answer escalated from. */
  escalatedFrom?: Tier;
  /** A request built elsewhere (prompt files): sent as is, with routing only choosing the model. */
  prebuilt?: {
    request: Omit<ChatRequest, 'provider' | 'model'>;
    tier?: Tier;
    provider?: ProviderId;
    model?: string;
    /** The prompt file that names `model` (Switch to a successor edits it there). */
    file?: vscode.Uri;
  };
}

/** Where answers stream to (the answer panel). */
export interface Answers {
  start(init: AnswerInit): AnswerHandle;
}

