/**
 * Following batch jobs: polled to their end under a cancellable notification, then their results shown in the
 * answer panel and recorded in the ledger at batch prices.
 */
import * as vscode from 'vscode';
import type { BatchClient, BatchInfo, BatchItemResult } from '../../core/batch';
import { mayUseStoredUrl } from '../../core/destinations';
import { isProviderError } from '../../core/errors';
import { PROVIDER_LABELS, ZERO_USAGE } from '../../core/types';
import type { BatchJobRecord, BatchJobStore } from './jobs';
import { itemCount } from './submit';
import { errorText, loadCalls, localize } from '../util';
import type { Answers } from '../requests';
import type { WatchPorts } from './ports';
import { costOfRecord } from '../telemetry';
import { serverOf } from '../../core/telemetry';
import { usageOf } from '../../core/pricing';
import { defaultBaseUrl } from '../../core/providers/baseUrls';

/** A job's results shown as an answer: which items got none (Retry submits those again). */
export interface ShownResults {
  jobId: string;
  answerId: string;
  failed: number[];
}

const CANCEL_JOB = vscode.l10n.t('Cancel Job');

export class BatchWatcher implements vscode.Disposable {
  private readonly watching = new Map<string, AbortController>();
  private readonly shown = new vscode.EventEmitter<ShownResults>();
  /** A job's results were shown in the answer panel. */
  readonly onDidShowResults = this.shown.event;
  private disposed = false;

  constructor(
    private readonly s: WatchPorts,
    private readonly store: BatchJobStore,
    private readonly answers: Answers,
  ) {}

  /** Poll every pending job not already watched in this window. */
  resume(): void {
    if (this.disposed) return;
    for (const job of this.store.pending()) if (!this.watching.has(job.id)) void this.watch(job);
  }

  private client(job: BatchJobRecord, key: string): BatchClient {
    return new (loadCalls().BatchClient)({ provider: job.provider, apiKey: key, baseUrl: job.baseUrl });
  }

  /** Poll a job to its end under a cancellable notification, then show and record its results. */
  async watch(job: BatchJobRecord): Promise<void> {
    if (this.watching.has(job.id) || this.disposed) return;
    const ctl = new AbortController();
    this.watching.set(job.id, ctl);
    try {
      // Jobs are kept for every window: poll only where this window's settings send the provider's requests.
      if (job.baseUrl && !mayUseStoredUrl(job.provider, job.baseUrl, this.s.config().destinations[job.provider])) {
        this.s.log.info(`batch: ${job.id} was submitted to ${job.baseUrl}, not where this window sends ${PROVIDER_LABELS[job.provider]} requests; not polled here`);
        return;
      }
      const key = (await this.s.keys.get(job.provider)) ?? (await this.askKey(job));
      if (!key) return;
      const client = this.client(job, key);
      const pollMs = this.s.config().batch.pollSeconds * 1000;
      const title = vscode.l10n.t('Tierwise: batch {0} ({1}, {2})', job.taskLabel, itemCount(job.items.length), job.model);
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
            progress.report({ message: localize(loadCalls().batchProgressText(i.rawStatus, c)), increment: Math.max(0, pct - shown) });
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
      const message = errorText(e);
      this.s.log.warn(`batch: ${job.id}: ${e instanceof Error ? e.message : String(e)}`);
      if (isProviderError(e) && e.kind === 'notFound') {
        await this.store.update(job.id, { finishedAt: Date.now(), error: message });
        void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: batch job "{0}" is gone: {1}', job.taskLabel, message));
        return;
      }
      await this.store.update(job.id, { error: message });
      const again = vscode.l10n.t('Check Again');
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: could not follow batch job "{0}": {1}', job.taskLabel, message), again);
      this.watching.delete(job.id);
      if (choice === again) void this.watch(job);
    } finally {
      if (this.watching.get(job.id) === ctl) this.watching.delete(job.id);
    }
  }

  /** A job waiting for a key: offers to set it; the key, once set, lets the same watch go on. */
  private async askKey(job: BatchJobRecord): Promise<string | undefined> {
    await this.store.update(job.id, { error: vscode.l10n.t('no API key for {0}', PROVIDER_LABELS[job.provider]) });
    const set = vscode.l10n.t('Set API Key');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Tierwise: batch job "{0}" ({1} items) is waiting for an API key for {2} to check its status.', job.taskLabel, job.items.length, PROVIDER_LABELS[job.provider]),
      set,
    );
    if (choice !== set || !(await this.s.keys.promptAndSet(job.provider))) return undefined;
    return this.s.keys.get(job.provider);
  }

  private async askCancel(job: BatchJobRecord, client: BatchClient): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Cancel the batch job "{0}" ({1} items)?', job.taskLabel, job.items.length),
      { modal: true, detail: vscode.l10n.t('Items already answered are kept, shown and billed. "Keep Running" only hides the notification; the answers arrive in the answer panel when the job ends.') },
      CANCEL_JOB,
      vscode.l10n.t('Keep Running'),
    );
    if (choice === CANCEL_JOB) await this.cancel(job, client);
  }

  async cancel(job: BatchJobRecord, client?: BatchClient): Promise<void> {
    try {
      const c = client ?? this.client(job, (await this.s.keys.get(job.provider)) ?? '');
      const info = await c.cancel(job.id);
      await this.store.update(job.id, { status: info.status, rawStatus: info.rawStatus, counts: info.counts });
      this.s.log.info(`batch: ${job.id} cancel requested (${info.rawStatus})`);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Tierwise: cancelling batch "{0}"; finished items will still be shown', job.taskLabel), 8000);
      if (!this.watching.has(job.id)) void this.watch(job);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: could not cancel the batch job: {0}', errorText(e)));
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
      const message = errorText(e);
      this.s.log.warn(`batch: ${job.id}: results: ${e instanceof Error ? e.message : String(e)}`);
      await this.store.release(job.id, vscode.l10n.t('results: {0}', message));
      const again = vscode.l10n.t('Try Again');
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: batch job "{0}" ended but its results could not be fetched: {1}', job.taskLabel, message), again);
      if (choice === again) void this.watch(job);
      return;
    }
    const calls = loadCalls();
    const pricing = this.s.pricing();
    const answer = calls.assembleBatchAnswer(job.items, results, localize);
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
    const saving = vscode.l10n.t('Batch price {0}; interactive would have cost {1}: saved {2}.', fmt(batchUsd), fmt(interactiveUsd), fmt(Math.max(0, interactiveUsd - batchUsd)));
    const notes = [
      saving,
      ...(unpriced ? [vscode.l10n.t('{0} answer(s) from a model without a price are not counted.', unpriced)] : []),
      ...info.errors.map((e) => vscode.l10n.t('Batch error: {0}', e)),
      ...unreadable.map((u) => vscode.l10n.t('Unreadable result {0}', u)),
    ];

    const handle = this.answers.start({
      title: vscode.l10n.t('Batch: {0} ({1})', job.taskLabel, itemCount(n)),
      meta: { provider: job.provider, model: job.model, tier: job.tier, reason: job.reason, task: job.taskLabel },
    });
    handle.append(answer.markdown);
    this.shown.fire({ jobId: job.id, answerId: handle.id, failed: answer.outcomes.flatMap((o, i) => (o.result?.ok ? [] : [i])) });
    const failedPart = answer.failed ? vscode.l10n.t('{0} of {1} got no answer.', answer.failed, itemCount(n)) : '';
    const statusPart = info.status === 'completed' ? '' : vscode.l10n.t('The job ended as {0}.', info.rawStatus);
    const message = [statusPart, failedPart, ...info.errors].filter(Boolean).join(' ') || undefined;
    handle.end(answer.succeeded ? 'done' : info.status === 'cancelled' ? 'cancelled' : 'error', message, {
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      cachedTokens: answer.usage.cacheReadTokens,
      cost: fmt(batchUsd),
      notes,
      estimated: false,
    });

    const endedAt = info.endedAt ?? Date.now();
    const latencyMs = Math.max(0, endedAt - job.submittedAt);
    const telemetry = this.s.telemetry;
    for (const [index, { result }] of answer.outcomes.entries()) {
      const rec = await this.s.ledger().record({
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
        source: 'batch',
        reason: job.reason,
        ...(job.workspace !== undefined ? { workspace: job.workspace, ...(job.workspaceName ? { workspaceName: job.workspaceName } : {}) } : {}),
        ...(job.escalatedFrom ? { escalatedFrom: job.escalatedFrom } : {}),
      });
      // One span per item, from submission to the job's end (no texts: the job keeps none).
      if (telemetry.enabled) {
        const error = result?.ok ? undefined : { kind: result ? (result.code ?? result.outcome) : 'noResult', ...(result?.status !== undefined ? { status: result.status } : {}) };
        telemetry.record({
          startMs: job.submittedAt,
          endMs: Math.max(job.submittedAt, endedAt),
          requestProvider: job.provider,
          requestModel: job.model,
          provider: job.provider,
          ...(result?.ok ? { responseModel: result.model, finishReason: result.finishReason } : {}),
          server: serverOf(job.baseUrl || defaultBaseUrl(job.provider, this.s.config().dashscopeRegion)),
          usage: usageOf(rec),
          usageReported: !!result?.ok,
          outcome: rec.outcome,
          ...(error ? { error } : {}),
          cost: costOfRecord(pricing, rec),
          tier: job.tier,
          task: job.task,
          routeReason: job.reason,
          batch: true,
          batchJob: { id: job.id, item: index, items: n },
          workspace: telemetry.workspace(),
          retries: 0,
          fallbacks: 0,
          attempts: [],
        });
      }
    }
    this.s.log.info(`batch: ${job.id} ${info.rawStatus}: ${answer.succeeded}/${n} answered, ${saving}`);
  }

  /** Whether a job is polled in this window now. */
  isWatching(id: string): boolean {
    return this.watching.has(id);
  }

  /** Poll a job again now (Check Status Now). */
  recheck(job: BatchJobRecord): void {
    this.watching.get(job.id)?.abort();
    this.watching.delete(job.id);
    void this.watch(job);
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.watching.values()) c.abort();
    this.watching.clear();
    this.shown.dispose();
  }
}
