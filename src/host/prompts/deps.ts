import type * as vscode from 'vscode';
import type { ChatRequest, Currency, ProviderId, Tier } from '../../core/types';
import type { PriceSource } from '../../core/pricing';
import type { ModelTarget, PromptPrice } from '../../core/prompts';
import type { Correction } from '../../core/tokens/calibration';

/** What a run of a prompt file asks the host to send (it goes to the streaming answer panel). */
export interface PromptRunRequest {
  /** The prompt's `name`, else the file name. */
  title: string;
  uri: vscode.Uri;
  /** Model choice from the file: provider + model, or a tier, or nothing (the host's routing decides). */
  provider?: ProviderId;
  model?: string;
  tier?: Tier;
  /** The rendered prompt as a request without provider and model; max_tokens the file's, else 1,024. */
  request: Omit<ChatRequest, 'provider' | 'model'>;
}

export interface PromptTokenCount {
  tokens: number;
  exact: boolean;
  calibration?: Correction;
}

/** What prompt-file support needs from the rest of the extension. The host implements it. */
export interface PromptDeps {
  /**
   * Token count for a model, exact or approximate (worker-backed; may be slow), with the calibration of an estimate
   * corrected from reported usage (DashScope models without a local tokenizer).
   */
  countTokens(provider: ProviderId, model: string, text: string): Promise<PromptTokenCount>;
  /** A fast approximate count, used by the lint on the editor's thread. */
  countTokensSync(provider: ProviderId, model: string, text: string): number;
  /** Prices per million tokens (input, cached input, output), or undefined when unknown. */
  priceFor(provider: ProviderId, model: string): PromptPrice | undefined;
  /** The model's prices as the one cost formula takes them (input-length tiers, cache prices), or undefined. */
  priceSource(provider: ProviderId, model: string): PriceSource | undefined;
  /**
   * Amounts in `currency` shown in the display currency, read together (each with enough digits to differ);
   * an undefined amount gives an undefined string.
   */
  money(amounts: readonly (number | undefined)[], currency: Currency): (string | undefined)[];
  /** Context window in tokens, when known. */
  contextWindow?(provider: ProviderId, model: string): number | undefined;
  /** The model of each tier under the current settings. */
  tierModels(): Record<Tier, ModelTarget>;
  /** The model used when a prompt names neither a model nor a tier. */
  defaultTarget(): ModelTarget;
  /** Send the rendered prompt; resolves when the request has been handed to the answer panel. */
  runPrompt(req: PromptRunRequest): Promise<void>;
  /** `tierwise.lint.systemPromptMaxTokens` and `tierwise.prompts.globs`. */
  settings(): { systemPromptMaxTokens: number; extraGlobs: string[] };
  /** Fires when models, prices or keys change, so counts and costs are recomputed. Optional. */
  onDidChange?: vscode.Event<unknown>;
  log: { info(msg: string): void; warn(msg: string): void; error(msg: string | Error): void };
}
