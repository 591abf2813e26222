/**
 * @tierwise in VS Code's chat: /explain, /review, /ask (and no command: ask) on the editor's selection or the files
 * the user references, routed and sent as the panel's commands are, ending with the route line and the cost;
 * /cost prices the request on every tier without sending. Follow-ups: Escalate (one tier up, the same request) and
 * Compare costs.
 */
import * as vscode from 'vscode';
import { isRouteError, tierName } from '../../core/routing';
import { localize } from '../util';
import { PROVIDER_IDS, PROVIDER_LABELS, TIERS, type Tier } from '../../core/types';
import { Recent } from '../requests';
import { editorText, rangesText } from '../util';
import type { ChatPorts } from './ports';
import { type ChatTurns, TurnRefused, type PlannedTurn } from './turns';

export const PARTICIPANT_ID = 'tierwise.chat';

const TASKS: Record<string, string> = { explain: 'explainCode', review: 'reviewCode', ask: 'answer' };
/** The follow-up prompt that escalates the previous answer. */
const ESCALATE = 'escalate';

/** What was asked, kept for Escalate (the latest answers only). */
interface Asked {
  task: string;
  text: string;
  question?: string;
  languageId?: string;
  fileName?: string;
  tier: Tier;
}

interface ParticipantMeta {
  askedId?: string;
  command?: string;
  prompt?: string;
}

/** The text a request is about: the referenced files (or ranges, or values), else the editor's selection. */
async function requestText(s: ChatPorts, request: vscode.ChatRequest): Promise<{ text: string; languageId?: string; fileName?: string } | undefined> {
  const parts: string[] = [];
  let languageId: string | undefined;
  let fileName: string | undefined;
  for (const ref of request.references) {
    const v = ref.value;
    if (v instanceof vscode.Uri || v instanceof vscode.Location) {
      const uri = v instanceof vscode.Uri ? v : v.uri;
      try {
        const doc = await vscode.workspace.openTextDocument(uri);
        languageId ??= doc.languageId;
        fileName ??= vscode.workspace.asRelativePath(uri);
        const text = v instanceof vscode.Location ? doc.getText(v.range) : doc.getText();
        parts.push(`${vscode.workspace.asRelativePath(uri)}:\n${text}`);
      } catch {
        /* not a text file: left out */
      }
    } else if (typeof v === 'string' && v.trim()) parts.push(v);
  }
  if (parts.length) return { text: parts.join('\n\n'), languageId, fileName };
  const editor = s.editors.current();
  if (!editor) return undefined;
  const { ranges } = editorText(editor);
  const text = rangesText(editor.document, ranges);
  if (!text.trim()) return undefined;
  return { text, languageId: editor.document.languageId, fileName: vscode.workspace.asRelativePath(editor.document.uri) };
}

export class TierwiseParticipant {
  private readonly asked = new Recent<string, Asked>(50);
  private seq = 0;

  constructor(
    private readonly s: ChatPorts,
    private readonly turns: ChatTurns,
  ) {}

  handler: vscode.ChatRequestHandler = async (request, context, stream, token) => {
    try {
      if (request.prompt.trim().toLowerCase() === ESCALATE && !request.command) return await this.escalate(context, stream, token);
      const command = request.command ?? 'ask';
      const found = await requestText(this.s, request);
      if (!found && command !== 'ask') {
        stream.markdown(vscode.l10n.t('Select some code or text in an editor, or reference a file with #, then ask again.'));
        return {};
      }
      const text = found?.text ?? '';
      const question = request.prompt.trim() || undefined;
      if (command === 'ask' && !question) {
        stream.markdown(vscode.l10n.t('Ask a question about the selection, for example: @tierwise /ask what does this function return?'));
        return {};
      }
      if (command === 'cost') {
        this.priceAllTiers(stream, await this.costTable(question ? 'answer' : 'explainCode', text, question, found?.languageId));
        return { metadata: { command, prompt: request.prompt } satisfies ParticipantMeta };
      }
      const task = TASKS[command] ?? 'answer';
      const plan = await this.turns.planTask({ task, text, question, languageId: found?.languageId, fileName: found?.fileName });
      return await this.send(plan, { task, text, question, languageId: found?.languageId, fileName: found?.fileName, tier: plan.route.tier }, stream, token, command, request.prompt);
    } catch (e) {
      if (e instanceof TurnRefused) {
        stream.markdown(e.message);
        return { errorDetails: { message: e.message } };
      }
      throw e;
    }
  };

  private async send(plan: PlannedTurn, asked: Asked, stream: vscode.ChatResponseStream, token: vscode.CancellationToken, command: string, prompt: string, escalatedFrom?: Tier): Promise<vscode.ChatResult> {
    stream.progress(vscode.l10n.t('Sending to {0}…', plan.route.model));
    const r = await this.turns.run(plan, { text: (t) => stream.markdown(t), toolCall: () => undefined }, token, { source: 'chat', escalatedFrom });
    const id = `a${++this.seq}`;
    this.asked.set(id, { ...asked, tier: r.route.tier });
    if (r.message) stream.markdown(`\n\n${r.message}`);
    if (r.outcome === 'cancelled') stream.markdown(`\n\n${vscode.l10n.t('Stopped.')}`);
    stream.markdown(`\n\n---\n_${localize(r.route.reasonMsg)} · ${vscode.l10n.t('cost {0}', r.costText)}_`);
    return { metadata: { askedId: id, command, prompt } satisfies ParticipantMeta };
  }

  /** The previous answer's request, one tier up. */
  private async escalate(context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const prev = [...context.history].reverse().find((h): h is vscode.ChatResponseTurn => h instanceof vscode.ChatResponseTurn && h.participant === PARTICIPANT_ID);
    const meta = prev?.result.metadata as ParticipantMeta | undefined;
    const asked = meta?.askedId ? this.asked.get(meta.askedId) : undefined;
    if (!asked) {
      stream.markdown(vscode.l10n.t('There is no earlier answer of this session to escalate. Ask again.'));
      return {};
    }
    const up = TIERS[TIERS.indexOf(asked.tier) + 1];
    if (!up) {
      stream.markdown(vscode.l10n.t('That answer already came from the top tier.'));
      return {};
    }
    const plan = await this.turns.planTask({ ...asked, tier: up });
    return this.send(plan, asked, stream, token, meta?.command ?? 'ask', meta?.prompt ?? '', asked.tier);
  }

  /** The request priced on every tier of every provider that is set up, without sending (as Compare Costs does). */
  private async costTable(task: string, text: string, question: string | undefined, languageId: string | undefined): Promise<string[]> {
    const router = this.s.router();
    const pricing = this.s.pricing();
    const cfg = this.s.config().routing.config;
    const rows: string[] = [];
    for (const provider of PROVIDER_IDS.filter((p) => this.s.available().includes(p))) {
      for (const tier of TIERS) {
        const model = cfg.tiers[provider][tier];
        const count = await this.s.tokens().countBest(provider, model, `${question ?? ''}\n${text}`);
        const r = router.route({ task, inputTokens: count.tokens, selectionText: text, question, languageId, override: { provider, tier, model } });
        if (isRouteError(r)) {
          rows.push(`| ${PROVIDER_LABELS[provider]} | ${localize(tierName(tier))} | ${model} | — | ${localize(r.messageMsg)} |`);
          continue;
        }
        const est = r.estimatedUsd;
        const [min, max] = est ? pricing.formatUsdAll([est.min, est.max]) : [vscode.l10n.t('price unknown'), ''];
        rows.push(`| ${PROVIDER_LABELS[provider]} | ${localize(tierName(tier))} | ${model} | ${r.inputTokens.toLocaleString('en-US')}${count.exact ? '' : ' ≈'} | ${est ? `${min} – ${max}` : min} |`);
      }
    }
    return rows;
  }

  private priceAllTiers(stream: vscode.ChatResponseStream, rows: string[]): void {
    if (!rows.length) {
      stream.markdown(vscode.l10n.t('No provider is set up yet. Run "Tierwise: Check Setup".'));
      return;
    }
    stream.markdown(`${vscode.l10n.t('What this request would cost on each tier (nothing was sent; the range is prompt only to prompt plus all of max_tokens):')}\n\n`);
    stream.markdown(`| ${vscode.l10n.t('Provider')} | ${vscode.l10n.t('Tier')} | ${vscode.l10n.t('Model')} | ${vscode.l10n.t('Input tokens')} | ${vscode.l10n.t('Cost')} |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
  }

  followups: vscode.ChatFollowupProvider = {
    provideFollowups: (result) => {
      const meta = result.metadata as ParticipantMeta | undefined;
      if (!meta?.askedId) return [];
      return [
        { prompt: ESCALATE, label: vscode.l10n.t('Escalate') },
        { prompt: meta.prompt ?? '', command: 'cost', label: vscode.l10n.t('Compare costs') },
      ];
    },
  };
}

/** Registers @tierwise with its handler and follow-ups; disposing the result removes it. */
export function registerChatParticipant(context: vscode.ExtensionContext, p: TierwiseParticipant): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, p.handler);
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  participant.followupProvider = p.followups;
  return participant;
}
