/**
 * Tierwise's models in VS Code's chat (vendor `tierwise`): the tier models of every provider that is set up and
 * Tierwise Auto, each with its limits and capabilities from the catalogue. A request goes through ChatTurns (the
 * panel's pipeline, recorded with source `chat`); the list refreshes when keys, settings or local servers change.
 */
import * as vscode from 'vscode';
import { AUTO_MODEL_ID, chatModels, type ChatModelSpec } from '../../core/chat/models';
import { PROVIDER_LABELS, type Tier } from '../../core/types';
import type { ChatPorts } from './ports';
import { messageCountText, toChatMessages, toToolChoice, toToolDefinitions } from './convert';
import type { ChatTurns} from './turns';
import { TurnRefused } from './turns';

export const CHAT_VENDOR = 'tierwise';

interface TierwiseChatInformation extends vscode.LanguageModelChatInformation {
  readonly spec: ChatModelSpec;
}

function tierLabel(tier: Tier): string {
  return tier === 'simple' ? vscode.l10n.t('simple') : tier === 'medium' ? vscode.l10n.t('medium') : vscode.l10n.t('complex');
}

/** A positive whole number from modelOptions (`maxTokens` or `max_tokens`), else undefined. */
function maxTokensOption(o: { readonly [name: string]: unknown } | undefined): number | undefined {
  const v = o?.maxTokens ?? o?.max_tokens;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

export class TierwiseChatProvider implements vscode.LanguageModelChatProvider<TierwiseChatInformation>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly s: ChatPorts,
    private readonly turns: ChatTurns,
  ) {
    this.subs.push(
      this.changed,
      s.keys.onDidChange(() => void s.refreshAvailable().then(() => this.changed.fire())),
      s.onDidChangeSettings(() => this.changed.fire()),
      s.modelLists.onDidChange(() => this.changed.fire()),
    );
  }

  /** The models to offer now. */
  specs(): ChatModelSpec[] {
    const cfg = this.s.config().routing.config;
    return chatModels({ available: this.s.available(), tiers: cfg.tiers, modelInfo: (p, m) => this.s.pricing().modelInfo(p, m) });
  }

  async provideLanguageModelChatInformation(): Promise<TierwiseChatInformation[]> {
    await this.s.refreshAvailable();
    return this.specs().map((spec) => this.information(spec));
  }

  private information(spec: ChatModelSpec): TierwiseChatInformation {
    const capabilities = { toolCalling: spec.toolCalling, imageInput: false };
    if (!spec.target) {
      return {
        id: AUTO_MODEL_ID,
        name: vscode.l10n.t('Tierwise Auto'),
        family: 'tierwise-auto',
        version: '1',
        detail: vscode.l10n.t('routes each request by complexity'),
        tooltip: vscode.l10n.t('Routes each request to the simple, medium or complex tier, as Ask About Selection does, names the model it picked and records the cost.'),
        maxInputTokens: spec.maxInputTokens,
        maxOutputTokens: spec.maxOutputTokens,
        capabilities,
        spec,
      };
    }
    const { provider, tier, model } = spec.target;
    return {
      id: spec.id,
      name: vscode.l10n.t('{0} · {1} tier', PROVIDER_LABELS[provider], tierLabel(tier)),
      family: model,
      version: model,
      detail: model,
      tooltip: spec.toolCalling
        ? vscode.l10n.t('{0}, the {1} tier model of {2} (tierwise.tiers.{3}.{4}).', model, tierLabel(tier), PROVIDER_LABELS[provider], provider, tier)
        : vscode.l10n.t('{0}, the {1} tier model of {2} (tierwise.tiers.{3}.{4}). It cannot call tools.', model, tierLabel(tier), PROVIDER_LABELS[provider], provider, tier),
      maxInputTokens: spec.maxInputTokens,
      maxOutputTokens: spec.maxOutputTokens,
      capabilities,
      spec,
    };
  }

  /** The spec of a model VS Code hands back (it may be an older copy of the list): matched by id. */
  private specOf(model: TierwiseChatInformation): ChatModelSpec {
    const now = this.specs().find((m) => m.id === model.id);
    if (!now) throw new TurnRefused(vscode.l10n.t('Tierwise: {0} is no longer set up. Run "Tierwise: Check Setup".', model.name));
    return now;
  }

  async provideLanguageModelChatResponse(
    model: TierwiseChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const spec = this.specOf(model);
    const conv = toChatMessages(messages);
    const tools = toToolDefinitions(options.tools);
    if (tools.length && !spec.toolCalling) {
      throw new TurnRefused(vscode.l10n.t('Tierwise: {0} cannot call tools. Pick another model for agent mode.', model.name));
    }
    const plan = await this.turns.plan(spec, {
      ...(conv.system ? { system: conv.system } : {}),
      messages: conv.messages,
      ...(tools.length ? { tools, toolChoice: toToolChoice(options.toolMode) } : {}),
      maxTokens: maxTokensOption(options.modelOptions),
    });
    // Tierwise Auto names the model it picked (and a step down) before the answer.
    if (!spec.target) {
      const head = vscode.l10n.t('Tierwise Auto → {0} ({1} tier)', plan.route.model, tierLabel(plan.route.tier));
      progress.report(new vscode.LanguageModelTextPart(`_${head}${plan.steppedDown ? ` · ${plan.steppedDown}` : ''}_\n\n`));
    } else if (plan.steppedDown) progress.report(new vscode.LanguageModelTextPart(`_${plan.steppedDown}_\n\n`));
    const result = await this.turns.run(
      plan,
      {
        text: (t) => progress.report(new vscode.LanguageModelTextPart(t)),
        toolCall: (c) => progress.report(new vscode.LanguageModelToolCallPart(c.id, c.name, c.input)),
      },
      token,
    );
    if (result.outcome === 'error' || result.outcome === 'interrupted') throw new Error(result.message ?? vscode.l10n.t('Tierwise: the request failed.'));
    if (result.outcome === 'cancelled') throw new vscode.CancellationError();
  }

  async provideTokenCount(model: TierwiseChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const spec = this.specs().find((m) => m.id === model.id) ?? model.spec;
    return this.turns.countText(spec, typeof text === 'string' ? text : messageCountText(text));
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }
}
