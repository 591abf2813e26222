/** "Show Batch Jobs": the jobs of this installation, to cancel, check, copy or remove. */
import * as vscode from 'vscode';
import { PROVIDER_LABELS } from '../../core/types';
import type { BatchJobStore } from './jobs';
import { loadCalls, localize } from '../util';
import type { BatchWatcher } from './watch';
import { itemCount } from './submit';

export async function showBatchJobs(store: BatchJobStore, watcher: BatchWatcher): Promise<void> {
  watcher.resume();
  const jobs = store.all();
  if (!jobs.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: no batch jobs yet. Run "Tierwise: Run Task as Batch (Half Price)…" on a selection.'));
    return;
  }
  const calls = loadCalls();
  const picked = await vscode.window.showQuickPick(
    jobs.map((job) => {
      const pending = job.finishedAt === undefined;
      const progress = job.counts ? localize(calls.batchProgressText(job.rawStatus, job.counts)) : job.rawStatus;
      return {
        label: `${pending ? '$(sync)' : job.status === 'completed' ? '$(check)' : '$(circle-slash)'} ${job.taskLabel} (${itemCount(job.items.length)})`,
        description: `${PROVIDER_LABELS[job.provider]} · ${job.model} · ${progress}${pending ? (watcher.isWatching(job.id) ? ` · ${vscode.l10n.t('polling')}` : '') : ` · ${vscode.l10n.t('results shown')}`}`,
        detail: `${new Date(job.submittedAt).toLocaleString()} · ${job.id}${job.error ? ` · ${job.error}` : ''}`,
        job,
      };
    }),
    { title: vscode.l10n.t('Tierwise: Batch Jobs'), placeHolder: vscode.l10n.t('Pick a job to cancel it or copy its id'), matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return;
  const job = picked.job;
  const pending = job.finishedAt === undefined;
  const act = { cancel: vscode.l10n.t('Cancel Job'), check: vscode.l10n.t('Check Status Now'), copy: vscode.l10n.t('Copy Job ID'), remove: vscode.l10n.t('Remove from List') };
  const actions = pending ? [act.cancel, act.check, act.copy] : [act.copy, act.remove];
  const action = await vscode.window.showQuickPick(actions, { title: `Tierwise: ${picked.label.replace(/^\$\([^)]*\) /, '')}` });
  if (action === act.cancel) await watcher.cancel(job);
  else if (action === act.check) watcher.recheck(job);
  else if (action === act.copy) await vscode.env.clipboard.writeText(job.id);
  else if (action === act.remove) await store.remove(job.id);
}
