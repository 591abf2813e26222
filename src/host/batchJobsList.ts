/** "Show Batch Jobs": the jobs of this installation, to cancel, check, copy or remove. */
import * as vscode from 'vscode';
import { PROVIDER_LABELS } from '../core/types';
import type { BatchJobStore } from './batchJobs';
import { loadCalls } from './lazy';
import type { BatchWatcher } from './batchWatch';

export async function showBatchJobs(store: BatchJobStore, watcher: BatchWatcher): Promise<void> {
  watcher.resume();
  const jobs = store.all();
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
        description: `${PROVIDER_LABELS[job.provider]} · ${job.model} · ${progress}${pending ? (watcher.isWatching(job.id) ? ' · polling' : '') : ' · results shown'}`,
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
      await watcher.cancel(job);
      break;
    case 'Check Status Now':
      watcher.recheck(job);
      break;
    case 'Copy Job ID':
      await vscode.env.clipboard.writeText(job.id);
      break;
    case 'Remove from List':
      await store.remove(job.id);
      break;
  }
}
