/**
 * "Run Task as Batch (Half Price)…" and "Show Batch Jobs": the items of a selection sent through the provider's
 * batch API (OpenAI Batch API, Anthropic Message Batches, DashScope's OpenAI-compatible Batch API) at half price,
 * polled with a cancellable notification, answered in the answer panel and recorded in the ledger at batch prices.
 *
 * Jobs live in the global state (ids and labels, never keys) so that polling resumes after a window reload.
 * The batch client comes from the lazily loaded calls bundle: nothing here loads it during activation.
 */
import * as vscode from 'vscode';
import type { BatchClient, BatchInfo, BatchItem, BatchItemResult, BatchSplit } from '../core/batch';
import { mayUseStoredUrl } from '../core/destinations';
import { isProviderError } from '../core/errors';
import type { Route, RouteInput, TaskDef } from '../core/routing';
import { isRouteError } from '../core/routing';
import { PROVIDER_LABELS, TIERS, ZERO_USAGE, type Tier, type Usage } from '../core/types';
import { BatchJobStore, type BatchJobRecord } from './batchJobs';
import { describeError } from './errors';
import { loadCalls } from './lazy';
import { confirmSpend, countedRouteInput, ensureKey } from './sendChecks';
import type { Services } from './services';

/** The two batch commands; pending jobs resume polling shortly after start-up. */
export function registerBatchCommands(s: Services, batches = new BatchService(s)): vscode.Disposable[] {
  return [
    batches,
    vscode.commands.registerCommand('tierwise.runBatch', (task?: unknown, split?: unknown) =>
      batches.run(typeof task === 'string' ? task : undefined, split === 'lines' || split === 'whole' ? split : undefined),
    ),
    vscode.commands.registerCommand('tierwise.showBatchJobs', () => batches.showJobs()),
  ];
}

/** Delay after activation before pending jobs are polled again (the calls bundle loads then, not during activate). */
const RESUME_DELAY_MS = 3000;

interface PlannedItem {
  text: string;
  route: Route;
}

/** What a job was made of, kept in memory (never in the global state) so its answer's Retry and Escalate can re-run it. */
interface Rerun {
  task: TaskDef;
  texts: string[];
  question: string | undefined;
  where: { languageId: string; fileName: string };
  split: BatchSplit;
  tier: Tier;
}

export class BatchService implements vscode.Disposable {
  readonly store: BatchJobStore;
  private readonly watching = new Map<string, AbortController>();
  /** Job id → its items, for jobs submitted in this window. */
  private readonly reruns = new Map<string, Rerun>();
  /** Answer id → the job and the items that got no answer. */
  private readonly answers = new Map<string, { rerun: Rerun; failed: number[] }>();
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly s: Services) {
    this.store = new BatchJobStore(s.context.globalState);
    if (this.store.pending().length) this.resumeTimer = setTimeout(() => this.resume(), RESUME_DELAY_MS);
  }

  // ---- submitting ----------------------------------------------------------------------------------------------

  /** Build the items from the editor, pick the task, route, confirm and submit. Resolves to the job id once submitted. */
  async run(taskArg?: string, splitArg?: BatchSplit): Promise<string | undefined> {
    const editor = this.s.editors.current();
    if (!editor) {
      void vscode.window.showWarningMessage('Tierwise: open a file and select the text to send as a batch first.');
      return undefined;
    }
    const calls = loadCalls();
    const doc = editor.document;
    let selections = editor.selections.map((sel) => doc.getText(sel)).filter((t) => t.trim() !== '');
    if (!selections.length) {
      const whole = doc.getText();
      if (!whole.trim()) {
        void vscode.window.showWarningMessage('Tierwise: the selection and the document are empty. Select the text to send as a batch.');
        return undefined;
      }
      selections = [whole];
      void vscode.window.setStatusBarMessage(`Tierwise: no selection, using the whole document (${doc.lineCount} lines)`, 5000);
    }
    let split: BatchSplit = splitArg ?? 'whole';
    if (selections.length === 1 && !splitArg) {
      const lines = calls.nonEmptyLines(selections[0]!).length;
      if (lines > 1) {
        const picked = await vscode.window.showQuickPick(
          [
            { label: `One item per non-empty line of the selection (${lines} items)`, split: 'lines' as const },
            { label: 'The whole selection as one item', split: 'whole' as const },
          ],
          { title: 'Tierwise: Run Task as Batch (Half Price)', placeHolder: 'What is one request of the batch?' },
        );
        if (!picked) return undefined;
        split = picked.split;
      }
    }
    const texts = calls.batchItemTexts(selections, split);

    const task = await this.pickTask(taskArg, texts.length);
    if (!task) return undefined;
    let question: string | undefined;
    if (task.question && !taskArg) {
      question = await vscode.window.showInputBox({
        title: `Tierwise: ${task.label} (batch of ${texts.length})`,
        prompt: `${task.question.prompt} The same for every item.`,
        placeHolder: task.question.default,
        ignoreFocusOut: true,
        validateInput: (v) => (task.question?.required && !v.trim() ? `${task.question.label} is needed for this task.` : undefined),
      });
      if (question === undefined) return undefined;
      if (!question.trim() && task.question.default) question = task.question.default;
    } else if (task.question?.required) {
      void vscode.window.showErrorMessage(`Tierwise: ${task.label} needs ${task.question.label.toLowerCase()}; run the command from the palette to give it.`);
      return undefined;
    }
    this.s.setCurrentTask(task.id);
    return this.submit(task, texts, question, { languageId: doc.languageId, fileName: vscode.workspace.asRelativePath(doc.uri) }, split);
  }

  private async pickTask(taskArg: string | undefined, n: number): Promise<TaskDef | undefined> {
    const tasks = this.s.router().tasks();
    let id = taskArg;
    if (!id) {
      const picked = await vscode.window.showQuickPick(
        tasks.map((t) => ({ label: t.label, description: `${t.tier} tier`, detail: t.noun, id: t.id })),
        { title: `Tierwise: Run Task as Batch (${n} item${n === 1 ? '' : 's'}, half price)`, placeHolder: 'Pick the task to run on every item' },
      );
      if (!picked) return undefined;
      id = picked.id;
    }
    const task = tasks.find((t) => t.id === id);
    if (!task) void vscode.window.showErrorMessage(`Tierwise: unknown task "${String(id)}".`);
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
      void vscode.window.showErrorMessage(`Tierwise: ${texts.length > 1 ? `item ${largest + 1} (the largest): ` : ''}${lead.message}`);
      return undefined;
    }
    if (!loadCalls().isBatchProvider(lead.provider)) {
      void vscode.window.showErrorMessage(
        `Tierwise: ${PROVIDER_LABELS[lead.provider]} has no batch support here. Batch jobs run on OpenAI, Anthropic or DashScope: set tierwise.provider (or the tier's provider) to one of them, or use Run Task on Selection.`,
      );
      return undefined;
    }
    if (lead.provider === 'dashscope') {
      // DashScope's Batch API takes a region-dependent list of models: refuse others before anything is sent.
      const why = loadCalls().dashscopeBatchRefusal(lead.model, this.s.config().dashscopeRegion);
      if (why) {
        void vscode.window.showErrorMessage(`Tierwise: ${why}`);
        return undefined;
      }
    }
    const override = { provider: lead.provider, model: lead.model, tier: lead.tier };
    const planned: PlannedItem[] = [];
    for (let i = 0; i < texts.length; i++) {
      const route = i === largest ? lead : router.route({ ...inputs[i]!, override });
      if (isRouteError(route)) {
        void vscode.window.showErrorMessage(`Tierwise: item ${i + 1}: ${route.message}`);
        return undefined;
      }
      planned.push({ text: texts[i]!, route });
    }
    return { items: planned, lead };
  }

  private async submit(task: TaskDef, texts: string[], question: string | undefined, where: { languageId: string; fileName: string }, split: BatchSplit, tierOverride?: Tier): Promise<string | undefined> {
    const plan = await this.plan(task, texts, question, where, tierOverride);
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
      ? `up to ${fmt(batchMax)} at batch prices (up to ${fmt(interactiveMax)} interactive)`
      : `price unknown for ${model}`;
    const ok = await confirmSpend(
      this.s,
      batchMax,
      (max, threshold) => `This batch of ${n} request${n === 1 ? '' : 's'} on ${model} may cost up to ${max} at batch prices (up to ${fmt(interactiveMax)} interactive), more than your ${threshold} threshold.`,
      [],
      `This batch of ${n} request${n === 1 ? '' : 's'}`,
    );
    if (!ok) return undefined;
    if (!(await ensureKey(this.s, provider, () => this.submit(task, texts, question, where, split, tierOverride), 'this batch'))) return undefined;
    if (!(await this.s.checkDestination(provider))) return undefined;

    const ids = calls.batchCustomIds(n);
    const items: BatchItem[] = planned.map((p, i) => ({ customId: ids[i]!, request: { ...p.route.request, batch: true } }));
    const key = await this.s.keys.get(provider);
    const cfg = this.s.config();
    // DashScope: the region's compatible-mode host, kept with the job (its key works only there).
    const baseUrl = cfg.providers[provider].baseUrl ?? (provider === 'dashscope' ? calls.defaultBaseUrl('dashscope', cfg.dashscopeRegion) : undefined);
    const client = new calls.BatchClient({ provider, apiKey: key ?? '', baseUrl, dashscopeRegion: cfg.dashscopeRegion });
    const title = `Batch: ${task.label} (${n} item${n === 1 ? '' : 's'})`;
    this.s.log.info(`batch: submitting ${n} ${task.id} item(s) to ${provider}/${model}, ${estimate}`);
    let info: BatchInfo;
    try {
      info = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Tierwise: submitting ${title.toLowerCase()}`, cancellable: false },
        async (progress) => {
          progress.report({ message: `${model}, ${estimate}` });
          return client.submit(items, provider !== 'anthropic' ? { metadata: { source: 'tierwise', task: task.id } } : {});
        },
      );
    } catch (e) {
      const message = isProviderError(e) ? describeError(e, { model, settingHint: `tierwise.tiers.${provider}.${tier}` }).message : e instanceof Error ? e.message : String(e);
      this.s.log.warn(`batch: submission failed: ${message}`);
      void vscode.window.showErrorMessage(`Tierwise: the batch was not submitted. ${message}`);
      return undefined;
    }
    const job: BatchJobRecord = {
      id: info.id,
      provider,
      ...(baseUrl ? { baseUrl } : {}),
      model,
      tier,
      task: task.id,
      taskLabel: task.label,
      reason: `${n} item${n === 1 ? '' : 's'} (${split === 'lines' && n > 1 ? 'one per line' : n > 1 ? 'one per selection' : 'the whole selection'}) at batch prices; ${lead.reason}`,
      items: planned.map((p, i) => ({ customId: ids[i]!, label: calls.abbreviate(p.text) })),
      submittedAt: info.createdAt ?? Date.now(),
      status: info.status,
      rawStatus: info.rawStatus,
      counts: info.counts,
    };
    await this.store.add(job);
    this.reruns.set(job.id, { task, texts, question, where, split, tier });
    this.s.log.info(`batch: ${job.id} submitted (${info.rawStatus}); ${estimate}`);
    void vscode.window.setStatusBarMessage(`Tierwise: batch submitted, ${n} item${n === 1 ? '' : 's'}, ${estimate}`, 10_000);
    void this.watch(job);
    return job.id;
  }

  // ---- polling -------------------------------------------------------------------------------------------------

  /** Poll every pending job not already watched in this window. */
  resume(): void {
    this.resumeTimer = undefined;
    if (this.disposed) return;
    for (const job of this.store.pending()) if (!this.watching.has(job.id)) void this.watch(job);
  }

  private client(job: BatchJobRecord, key: string): BatchClient {
    return new (loadCalls().BatchClient)({ provider: job.provider, apiKey: key, baseUrl: job.baseUrl });
  }

  /** Poll a job to its end under a cancellable notification, then show and record its results. */
  private async watch(job: BatchJobRecord): Promise<void> {
    if (this.watching.has(job.id) || this.disposed) return;
    const ctl = new AbortController();
    this.watching.set(job.id, ctl);
    try {
      // Jobs are kept for every window: poll only where this window's settings send the provider's requests.
      if (job.baseUrl && !mayUseStoredUrl(job.provider, job.baseUrl, this.s.config().destinations[job.provider])) {
        this.s.log.info(`batch: ${job.id} was submitted to ${job.baseUrl}, not where this window sends ${PROVIDER_LABELS[job.provider]} requests; not polled here`);
        return;
      }
      const key = await this.s.keys.get(job.provider);
      if (!key) {
        await this.store.update(job.id, { error: `no API key for ${PROVIDER_LABELS[job.provider]}` });
        const choice = await vscode.window.showWarningMessage(
          `Tierwise: batch job "${job.taskLabel}" (${job.items.length} items) is waiting for an API key for ${PROVIDER_LABELS[job.provider]} to check its status.`,
          'Set API Key',
        );
        this.watching.delete(job.id);
        if (choice === 'Set API Key' && (await this.s.keys.promptAndSet(job.provider))) void this.watch(job);
        return;
      }
      const client = this.client(job, key);
      const pollMs = this.s.config().batch.pollSeconds * 1000;
      const title = `Tierwise: batch ${job.taskLabel} (${job.items.length} item${job.items.length === 1 ? '' : 's'}, ${job.model})`;
      let wait: Promise<BatchInfo> | undefined;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        let shown = 0;
        let hide: () => void = () => undefined;
        const hidden = new Promise<void>((r) => (hide = r));
        token.onCancellationRequested(() => {
          hide();
          void this.askCancel(job, client);
        });
        wait = client.waitForCompletion(job.id, {
          pollMs,
          signal: ctl.signal,
          onUpdate: (i) => {
            void this.store.update(job.id, { status: i.status, rawStatus: i.rawStatus, counts: i.counts, error: undefined });
            const c = i.counts;
            const pct = c.total ? (100 * (c.succeeded + c.failed + c.cancelled + c.expired)) / c.total : 0;
            progress.report({ message: loadCalls().batchProgressText(i.rawStatus, c), increment: Math.max(0, pct - shown) });
            shown = Math.max(shown, pct);
          },
        });
        // Hiding the notification (cancel, then "Keep Running") leaves the polling going on in the background.
        await Promise.race([wait.then(() => undefined, () => undefined), hidden]);
      });
      const info = await wait!;
      await this.finish(job, client, info);
    } catch (e) {
      if (ctl.signal.aborted) return; // window closing: the job stays pending and resumes next time
      const message = e instanceof Error ? e.message : String(e);
      this.s.log.warn(`batch: ${job.id}: ${message}`);
      if (isProviderError(e) && e.kind === 'notFound') {
        await this.store.update(job.id, { finishedAt: Date.now(), error: message });
        void vscode.window.showErrorMessage(`Tierwise: batch job "${job.taskLabel}" is gone: ${message}`);
        return;
      }
      await this.store.update(job.id, { error: message });
      const choice = await vscode.window.showErrorMessage(`Tierwise: could not follow batch job "${job.taskLabel}": ${message}`, 'Check Again');
      this.watching.delete(job.id);
      if (choice === 'Check Again') void this.watch(job);
    } finally {
      if (this.watching.get(job.id) === ctl) this.watching.delete(job.id);
    }
  }

  private async askCancel(job: BatchJobRecord, client: BatchClient): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Cancel the batch job "${job.taskLabel}" (${job.items.length} items)?`,
      { modal: true, detail: 'Items already answered are kept, shown and billed. "Keep Running" only hides the notification; the answers arrive in the answer panel when the job ends.' },
      'Cancel Job',
      'Keep Running',
    );
    if (choice === 'Cancel Job') await this.cancel(job, client);
  }

  private async cancel(job: BatchJobRecord, client?: BatchClient): Promise<void> {
    try {
      const c = client ?? this.client(job, (await this.s.keys.get(job.provider)) ?? '');
      const info = await c.cancel(job.id);
      await this.store.update(job.id, { status: info.status, rawStatus: info.rawStatus, counts: info.counts });
      this.s.log.info(`batch: ${job.id} cancel requested (${info.rawStatus})`);
      void vscode.window.setStatusBarMessage(`Tierwise: cancelling batch "${job.taskLabel}"; finished items will still be shown`, 8000);
      if (!this.watching.has(job.id)) void this.watch(job);
    } catch (e) {
      void vscode.window.showErrorMessage(`Tierwise: could not cancel the batch job: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ---- results -------------------------------------------------------------------------------------------------

  private async finish(job: BatchJobRecord, client: BatchClient, info: BatchInfo): Promise<void> {
    if (!(await this.store.claimFinish(job.id, { status: info.status, rawStatus: info.rawStatus, counts: info.counts }))) return;
    let results: BatchItemResult[];
    let unreadable: string[] = [];
    try {
      const r = await client.results(info, { order: job.items.map((i) => i.customId) });
      results = r.results;
      unreadable = r.unreadable;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.store.release(job.id, `results: ${message}`);
      const choice = await vscode.window.showErrorMessage(`Tierwise: batch job "${job.taskLabel}" ended but its results could not be fetched: ${message}`, 'Try Again');
      if (choice === 'Try Again') void this.watch(job);
      return;
    }
    const calls = loadCalls();
    const pricing = this.s.pricing();
    const answer = calls.assembleBatchAnswer(job.items, results);
    let batchUsd = 0;
    let interactiveUsd = 0;
    let unpriced = 0;
    for (const { result } of answer.outcomes) {
      if (!result?.ok) continue;
      const b = pricing.cost(job.provider, result.model, result.usage, true);
      const i = pricing.cost(job.provider, result.model, result.usage, false);
      if (!b || !i) unpriced++;
      batchUsd += b?.usd ?? 0;
      interactiveUsd += i?.usd ?? 0;
    }
    const fmt = (usd: number) => pricing.formatUsd(usd);
    const n = job.items.length;
    const saving = `Batch price ${fmt(batchUsd)}; interactive would have cost ${fmt(interactiveUsd)}: saved ${fmt(Math.max(0, interactiveUsd - batchUsd))}.`;
    const notes = [saving, ...(unpriced ? [`${unpriced} answer(s) from a model without a price are not counted.`] : []), ...info.errors.map((e) => `Batch error: ${e}`), ...unreadable.map((u) => `Unreadable result ${u}`)];

    const handle = this.s.panel().start({
      title: `Batch: ${job.taskLabel} (${n} item${n === 1 ? '' : 's'})`,
      meta: { provider: job.provider, model: job.model, tier: job.tier, reason: job.reason, task: job.taskLabel },
    });
    handle.append(answer.markdown);
    const rerun = this.reruns.get(job.id);
    if (rerun) {
      const failed = answer.outcomes.flatMap((o, i) => (o.result?.ok ? [] : [i]));
      this.answers.set(handle.id, { rerun, failed });
    }
    const failedPart = answer.failed ? `${answer.failed} of ${n} item${n === 1 ? '' : 's'} got no answer.` : '';
    const statusPart = info.status === 'completed' ? '' : `The job ended as ${info.rawStatus}.`;
    const message = [statusPart, failedPart, ...info.errors].filter(Boolean).join(' ') || undefined;
    handle.end(answer.succeeded ? 'done' : info.status === 'cancelled' ? 'cancelled' : 'error', message, {
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      cachedTokens: answer.usage.cacheReadTokens,
      cost: fmt(batchUsd),
      notes,
      estimated: false,
    });

    const latencyMs = Math.max(0, (info.endedAt ?? Date.now()) - job.submittedAt);
    for (const { result } of answer.outcomes) {
      await this.s.ledger().record({
        provider: job.provider,
        model: result?.ok ? result.model : job.model,
        tier: job.tier,
        task: job.task,
        usage: result?.ok ? result.usage : { ...ZERO_USAGE },
        usageReported: !!result?.ok,
        batch: true,
        latencyMs,
        retries: 0,
        outcome: result?.ok ? (result.finishReason === 'length' ? 'truncated' : 'ok') : result && result.outcome !== 'errored' ? 'cancelled' : 'error',
        ...(result && !result.ok ? { error: result.code ?? result.outcome } : !result ? { error: 'noResult' } : {}),
      });
    }
    this.s.log.info(`batch: ${job.id} ${info.rawStatus}: ${answer.succeeded}/${n} answered, ${saving}`);
  }

  // ---- Retry and Escalate on a batch answer ---------------------------------------------------------------------

  /** Whether an answer in the panel is a batch job's result. */
  owns(answerId: string): boolean {
    return this.answers.has(answerId);
  }

  /** Retry: submit the items that got no answer again, or the whole batch when every item was answered. */
  async retry(answerId: string): Promise<string | undefined> {
    const a = this.answers.get(answerId);
    if (!a) return undefined;
    const { task, texts, question, where, split, tier } = a.rerun;
    const again = a.failed.length ? a.failed.map((i) => texts[i]!) : texts;
    void vscode.window.setStatusBarMessage(`Tierwise: submitting ${a.failed.length ? `the ${again.length} item${again.length === 1 ? '' : 's'} without an answer` : 'the batch'} again`, 5000);
    return this.submit(task, again, question, where, split, tier);
  }

  /** Escalate: submit the whole batch again one tier up. */
  async escalate(answerId: string): Promise<string | undefined> {
    const a = this.answers.get(answerId);
    if (!a) return undefined;
    const { task, texts, question, where, split, tier } = a.rerun;
    const up = TIERS[TIERS.indexOf(tier) + 1];
    if (!up) {
      void vscode.window.showInformationMessage('Tierwise: this batch already ran on the top tier.');
      return undefined;
    }
    return this.submit(task, texts, question, where, split, up);
  }

  // ---- the jobs list -------------------------------------------------------------------------------------------

  async showJobs(): Promise<void> {
    this.resume();
    const jobs = this.store.all();
    if (!jobs.length) {
      void vscode.window.showInformationMessage('Tierwise: no batch jobs yet. Run "Tierwise: Run Task as Batch (Half Price)…" on a selection.');
      return;
    }
    const calls = loadCalls();
    const picked = await vscode.window.showQuickPick(
      jobs.map((job) => {
        const pending = job.finishedAt === undefined;
        const progress = job.counts ? calls.batchProgressText(job.rawStatus, job.counts) : job.rawStatus;
        return {
          label: `${pending ? '$(sync)' : job.status === 'completed' ? '$(check)' : '$(circle-slash)'} ${job.taskLabel} (${job.items.length} item${job.items.length === 1 ? '' : 's'})`,
          description: `${PROVIDER_LABELS[job.provider]} · ${job.model} · ${progress}${pending ? (this.watching.has(job.id) ? ' · polling' : '') : ' · results shown'}`,
          detail: `${new Date(job.submittedAt).toLocaleString()} · ${job.id}${job.error ? ` · ${job.error}` : ''}`,
          job,
        };
      }),
      { title: 'Tierwise: Batch Jobs', placeHolder: 'Pick a job to cancel it or copy its id', matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return;
    const job = picked.job;
    const pending = job.finishedAt === undefined;
    const actions = pending ? ['Cancel Job', 'Check Status Now', 'Copy Job ID'] : ['Copy Job ID', 'Remove from List'];
    const action = await vscode.window.showQuickPick(actions, { title: `Tierwise: ${picked.label.replace(/^\$\([^)]*\) /, '')}` });
    switch (action) {
      case 'Cancel Job':
        await this.cancel(job);
        break;
      case 'Check Status Now':
        this.watching.get(job.id)?.abort();
        this.watching.delete(job.id);
        void this.watch(job);
        break;
      case 'Copy Job ID':
        await vscode.env.clipboard.writeText(job.id);
        break;
      case 'Remove from List':
        await this.store.remove(job.id);
        break;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const c of this.watching.values()) c.abort();
    this.watching.clear();
  }
}
