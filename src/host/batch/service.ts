/**
 * "Run Task as Batch (Half Price)…" and "Show Batch Jobs": the items of a selection sent through the provider's
 * batch API (OpenAI Batch API, Anthropic Message Batches, DashScope's OpenAI-compatible Batch API) at half price,
 * polled with a cancellable notification, answered in the answer panel and recorded in the ledger at batch prices.
 *
 * Jobs live in the global state (ids and labels, never keys) so that polling resumes after a window reload.
 * The batch client comes from the lazily loaded calls bundle: nothing here loads it during activation.
 */
import * as vscode from 'vscode';
import type { BatchSplit } from '../../core/batch';
import { TIERS } from '../../core/types';
import { BatchJobStore } from './jobs';
import { showBatchJobs } from './jobsList';
import { BatchSubmitter, itemCount, type Rerun, type Submitted } from './submit';
import { BatchWatcher } from './watch';
import type { Answers } from '../requests';
import type { BatchPorts } from './ports';

/** The two batch commands; pending jobs resume polling shortly after start-up. */
export function registerBatchCommands(batches: BatchService): vscode.Disposable[] {
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

/** Batch jobs: submitted (submit.ts), followed to their results (watch.ts), listed (jobsList.ts). */
export class BatchService implements vscode.Disposable {
  readonly store: BatchJobStore;
  private readonly submitter: BatchSubmitter;
  private readonly watcher: BatchWatcher;
  /** Job id → its items, for jobs submitted in this window. */
  private readonly reruns = new Map<string, Rerun>();
  /** Answer id → the job and the items that got no answer. */
  private readonly answers = new Map<string, { rerun: Rerun; failed: number[] }>();
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly sub: vscode.Disposable;

  constructor(s: BatchPorts, answers: Answers) {
    this.store = new BatchJobStore(s.context.globalState);
    this.submitter = new BatchSubmitter(s, this.store);
    this.watcher = new BatchWatcher(s, this.store, answers);
    this.sub = this.watcher.onDidShowResults(({ jobId, answerId, failed }) => {
      const rerun = this.reruns.get(jobId);
      if (rerun) this.answers.set(answerId, { rerun, failed });
    });
    if (this.store.pending().length) this.resumeTimer = setTimeout(() => this.resume(), RESUME_DELAY_MS);
  }

  /** Build the items from the editor, pick the task, route, confirm and submit. Resolves to the job id once submitted. */
  async run(taskArg?: string, splitArg?: BatchSplit): Promise<string | undefined> {
    return this.submitted(await this.submitter.run(taskArg, splitArg));
  }

  /** A job submitted: remembered for Retry and Escalate, and followed to its results. */
  private submitted(s: Submitted | undefined): string | undefined {
    if (!s) return undefined;
    this.reruns.set(s.job.id, s.rerun);
    void this.watcher.watch(s.job);
    return s.job.id;
  }

  /** Poll every pending job not already watched in this window. */
  resume(): void {
    this.resumeTimer = undefined;
    this.watcher.resume();
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
    void vscode.window.setStatusBarMessage(
      a.failed.length ? vscode.l10n.t('Tierwise: submitting the {0} without an answer again', itemCount(again.length)) : vscode.l10n.t('Tierwise: submitting the batch again'),
      5000,
    );
    return this.submitted(await this.submitter.submit({ task, texts: again, question, where, split, tier }));
  }

  /** Escalate: submit the whole batch again one tier up. */
  async escalate(answerId: string): Promise<string | undefined> {
    const a = this.answers.get(answerId);
    if (!a) return undefined;
    const { task, texts, question, where, split, tier } = a.rerun;
    const up = TIERS[TIERS.indexOf(tier) + 1];
    if (!up) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: this batch already ran on the top tier.'));
      return undefined;
    }
    return this.submitted(await this.submitter.submit({ task, texts, question, where, split, tier: up, escalatedFrom: tier }));
  }

  showJobs(): Promise<void> {
    return showBatchJobs(this.store, this.watcher);
  }

  dispose(): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.sub.dispose();
    this.watcher.dispose();
  }
}
