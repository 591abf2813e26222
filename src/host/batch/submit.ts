/**
 * Submitting a batch: the items of the editor's text (one rule with every command, see util/editors.ts), the task, then
 * count → route → confirm → key → destination → submit, each step returning here.
 */
import * as vscode from 'vscode';
import type { BatchSplit, BatchItem, BatchInfo } from '../../core/batch';
import { isProviderError } from '../../core/errors';
import { type Route, type RouteInput, type TaskDef, isRouteError, taskLabel, taskNoun, taskQuestionLabel, taskQuestionPrompt, tierName } from '../../core/routing';
import { PROVIDER_LABELS, ZERO_USAGE, type Tier, type Usage } from '../../core/types';
import type { BatchJobRecord, BatchJobStore } from './jobs';
import { editorText, describeError, loadCalls, currentWorkspace, localize } from '../util';
import { confirmSpend, countedRouteInput, keyReady } from '../requests';
import type { BatchPorts } from './ports';

interface PlannedItem {
  text: string;
  route: Route;
}

/** What a job was made of, kept in memory (never in the global state) so its answer's Retry and Escalate can re-run it. */
export interface Rerun {
  task: TaskDef;
  texts: string[];
  question: string | undefined;
  where: { languageId: string; fileName: string };
  split: BatchSplit;
  tier: Tier;
}

/** A job just submitted, with what it was made of. */
export interface Submitted {
  job: BatchJobRecord;
  rerun: Rerun;
}

/** "1 item", "3 items". */
export function itemCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 item') : vscode.l10n.t('{0} items', n);
}

export class BatchSubmitter {
  constructor(
    private readonly s: BatchPorts,
    private readonly store: BatchJobStore,
  ) {}


  /** Build the items from the editor, pick the task, route, confirm and submit. Resolves to the job id once submitted. */
  async run(taskArg?: string, splitArg?: BatchSplit): Promise<Submitted | undefined> {
    const editor = this.s.editors.current();
    if (!editor) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: open a file and select the text to send as a batch first.'));
      return undefined;
    }
    const calls = loadCalls();
    const doc = editor.document;
    // The one rule of every command: the selections that hold text, each an item, else the whole document.
    const { scope, ranges } = editorText(editor);
    const selections = ranges.map((r) => doc.getText(r));
    if (scope === 'document') {
      if (!selections[0]!.trim()) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: the selection and the document are empty. Select the text to send as a batch.'));
        return undefined;
      }
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Tierwise: no selection, using the whole document ({0} lines)', doc.lineCount), 5000);
    }
    let split: BatchSplit = splitArg ?? 'whole';
    if (selections.length === 1 && !splitArg) {
      const lines = calls.nonEmptyLines(selections[0]!).length;
      if (lines > 1) {
        const picked = await vscode.window.showQuickPick(
          [
            { label: vscode.l10n.t('One item per non-empty line of the selection ({0} items)', lines), split: 'lines' as const },
            { label: vscode.l10n.t('The whole selection as one item'), split: 'whole' as const },
          ],
          { title: vscode.l10n.t('Tierwise: Run Task as Batch (Half Price)'), placeHolder: vscode.l10n.t('What is one request of the batch?') },
        );
        if (!picked) return undefined;
        split = picked.split;
      }
    }
    const texts = calls.batchItemTexts(selections, split);

    const task = await this.pickTask(taskArg, texts.length);
    if (!task) return undefined;
    let question: string | undefined;
    const label = localize(taskLabel(task));
    const questionLabel = task.question ? localize(taskQuestionLabel(task)!) : '';
    if (task.question && !taskArg) {
      question = await vscode.window.showInputBox({
        title: vscode.l10n.t('Tierwise: {0} (batch of {1})', label, texts.length),
        prompt: vscode.l10n.t('{0} The same for every item.', localize(taskQuestionPrompt(task)!)),
        placeHolder: task.question.default,
        ignoreFocusOut: true,
        validateInput: (v) => (task.question?.required && !v.trim() ? vscode.l10n.t('{0} is needed for this task.', questionLabel) : undefined),
      });
      if (question === undefined) return undefined;
      if (!question.trim() && task.question.default) question = task.question.default;
    } else if (task.question?.required) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: {0} needs {1}; run the command from the palette to give it.', label, questionLabel.toLowerCase()));
      return undefined;
    }
    this.s.setCurrentTask(task.id);
    return this.submit({ task, texts, question, where: { languageId: doc.languageId, fileName: vscode.workspace.asRelativePath(doc.uri) }, split });
  }

  private async pickTask(taskArg: string | undefined, n: number): Promise<TaskDef | undefined> {
    const tasks = this.s.router().tasks();
    let id = taskArg;
    if (!id) {
      const picked = await vscode.window.showQuickPick(
        tasks.map((t) => ({ label: localize(taskLabel(t)), description: vscode.l10n.t('{0} tier', localize(tierName(t.tier))), detail: localize(taskNoun(t)), id: t.id })),
        { title: vscode.l10n.t('Tierwise: Run Task as Batch ({0}, half price)', itemCount(n)), placeHolder: vscode.l10n.t('Pick the task to run on every item') },
      );
      if (!picked) return undefined;
      id = picked.id;
    }
    const task = tasks.find((t) => t.id === id);
    if (!task) void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: unknown task "{0}".', String(id)));
    return task;
  }

  /**
   * Route every item; the job runs on the route of the largest item (one provider and model for the whole batch),
   * each item keeping its own max_tokens on that model.
   */
  private async plan(task: TaskDef, texts: readonly string[], question: string | undefined, where: { languageId: string; fileName: string }, tier?: Tier): Promise<{ items: PlannedItem[]; lead: Route } | undefined> {
    const router = this.s.router();
    const inputs: RouteInput[] = [];
    for (const text of texts) {
      inputs.push(await countedRouteInput(this.s, { task: task.id, selectionText: text, question, ...where, ...(tier ? { override: { tier } } : {}) }, `${question ?? ''}\n${text}`));
    }
    let largest = 0;
    inputs.forEach((inp, i) => {
      if (inp.inputTokens > inputs[largest]!.inputTokens) largest = i;
    });
    const lead = router.route(inputs[largest]!);
    if (isRouteError(lead)) {
      void vscode.window.showErrorMessage(texts.length > 1 ? vscode.l10n.t('Tierwise: item {0} (the largest): {1}', largest + 1, localize(lead.messageMsg)) : vscode.l10n.t('Tierwise: {0}', localize(lead.messageMsg)));
      return undefined;
    }
    if (!loadCalls().isBatchProvider(lead.provider)) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          "Tierwise: {0} has no batch support here. Batch jobs run on OpenAI, Anthropic or DashScope: set tierwise.provider (or the tier's provider) to one of them, or use Run Task on Selection.",
          PROVIDER_LABELS[lead.provider],
        ),
      );
      return undefined;
    }
    if (lead.provider === 'dashscope') {
      // DashScope's Batch API takes a region-dependent list of models: refuse others before anything is sent.
      const why = loadCalls().dashscopeBatchRefusal(lead.model, this.s.config().dashscopeRegion);
      if (why) {
        void vscode.window.showErrorMessage(`Tierwise: ${localize(why)}`);
        return undefined;
      }
    }
    const override = { provider: lead.provider, model: lead.model, tier: lead.tier };
    const planned: PlannedItem[] = [];
    for (let i = 0; i < texts.length; i++) {
      const route = i === largest ? lead : router.route({ ...inputs[i]!, override });
      if (isRouteError(route)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: item {0}: {1}', i + 1, localize(route.messageMsg)));
        return undefined;
      }
      planned.push({ text: texts[i]!, route });
    }
    return { items: planned, lead };
  }

  /** count → route → confirm → key → destination → submit. `what.tier` is a tier asked for (Escalate). */
  async submit(what: Omit<Rerun, 'tier'> & { tier?: Tier; escalatedFrom?: Tier }): Promise<Submitted | undefined> {
    const { task, texts, question, where, split } = what;
    const plan = await this.plan(task, texts, question, where, what.tier);
    if (!plan) return undefined;
    const { items: planned, lead } = plan;
    const calls = loadCalls();
    const { provider, model, tier } = lead;
    if (!calls.isBatchProvider(provider)) return undefined;
    const pricing = this.s.pricing();
    // The most the items can cost: every prompt plus all of its max_tokens, at batch and at interactive prices.
    let batchMax = 0;
    let interactiveMax = 0;
    let priced = true;
    for (const { route } of planned) {
      const usage: Usage = { ...ZERO_USAGE, inputTokens: route.inputTokens, outputTokens: route.maxTokens };
      const b = pricing.cost(provider, model, usage, true);
      const i = pricing.cost(provider, model, usage, false);
      if (!b || !i) priced = false;
      batchMax += b?.usd ?? 0;
      interactiveMax += i?.usd ?? 0;
    }
    const fmt = (usd: number) => pricing.formatUsd(usd);
    const n = planned.length;
    const estimate = priced
      ? vscode.l10n.t('up to {0} at batch prices (up to {1} interactive)', fmt(batchMax), fmt(interactiveMax))
      : vscode.l10n.t('price unknown for {0}', model);
    const subject = n === 1 ? vscode.l10n.t('This batch of 1 request') : vscode.l10n.t('This batch of {0} requests', n);
    const ok = await confirmSpend(
      this.s,
      batchMax,
      (max, threshold) =>
        vscode.l10n.t('{0} on {1} may cost up to {2} at batch prices (up to {3} interactive), more than your {4} threshold.', subject, model, max, fmt(interactiveMax), threshold),
      [],
      subject,
    );
    if (!ok) return undefined;
    if (!(await keyReady(this.s, provider, vscode.l10n.t('this batch')))) return undefined;
    if (!(await this.s.checkDestination(provider))) return undefined;

    const ids = calls.batchCustomIds(n);
    const items: BatchItem[] = planned.map((p, i) => ({ customId: ids[i]!, request: { ...p.route.request, batch: true } }));
    const key = await this.s.keys.get(provider);
    const cfg = this.s.config();
    // DashScope: the region's compatible-mode host, kept with the job (its key works only there).
    const baseUrl = cfg.providers[provider].baseUrl ?? (provider === 'dashscope' ? calls.defaultBaseUrl('dashscope', cfg.dashscopeRegion) : undefined);
    const client = new calls.BatchClient({ provider, apiKey: key ?? '', baseUrl, dashscopeRegion: cfg.dashscopeRegion });
    const label = localize(taskLabel(task));
    const title = vscode.l10n.t('Batch: {0} ({1})', label, itemCount(n));
    this.s.log.info(`batch: submitting ${n} ${task.id} item(s) to ${provider}/${model}, ${estimate}`);
    let info: BatchInfo;
    try {
      info = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tierwise: submitting {0}', title.toLowerCase()), cancellable: false },
        async (progress) => {
          progress.report({ message: `${model}, ${estimate}` });
          return client.submit(items, provider !== 'anthropic' ? { metadata: { source: 'tierwise', task: task.id } } : {});
        },
      );
    } catch (e) {
      const message = isProviderError(e) ? describeError(e, { model, settingHint: `tierwise.tiers.${provider}.${tier}` }).message : e instanceof Error ? e.message : String(e);
      this.s.log.warn(`batch: submission failed: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: the batch was not submitted. {0}', message));
      return undefined;
    }
    const ws = currentWorkspace();
    const job: BatchJobRecord = {
      id: info.id,
      provider,
      ...(baseUrl ? { baseUrl } : {}),
      model,
      tier,
      task: task.id,
      taskLabel: label,
      reason: vscode.l10n.t('{0} ({1}) at batch prices; {2}', itemCount(n), split === 'lines' && n > 1 ? vscode.l10n.t('one per line') : n > 1 ? vscode.l10n.t('one per selection') : vscode.l10n.t('the whole selection'), localize(lead.reasonMsg)),
      items: planned.map((p, i) => ({ customId: ids[i]!, label: calls.abbreviate(p.text) })),
      submittedAt: info.createdAt ?? Date.now(),
      status: info.status,
      rawStatus: info.rawStatus,
      counts: info.counts,
      // '' : submitted from a window without a folder.
      ...(ws ? { workspace: ws.id, workspaceName: ws.name } : { workspace: '' }),
      ...(what.escalatedFrom ? { escalatedFrom: what.escalatedFrom } : {}),
    };
    await this.store.add(job);
    this.s.log.info(`batch: ${job.id} submitted (${info.rawStatus}); ${estimate}`);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Tierwise: batch submitted, {0}, {1}', itemCount(n), estimate), 10_000);
    return { job, rerun: { task, texts, question, where, split, tier } };
  }
}
