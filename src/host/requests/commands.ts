import * as vscode from 'vscode';
import { taskLabel, taskNoun, taskQuestionLabel, taskQuestionPrompt, tierName } from '../../core/routing';
import { localize } from '../util';
import type { RequestService } from './requests';
import type { RequestPorts } from './ports';

/** Editor commands: each builds a request from the selection (or the whole document) and sends it. */
export function registerEditorCommands(s: Pick<RequestPorts, 'router' | 'setCurrentTask'>, requests: RequestService): vscode.Disposable[] {
  const direct = (command: string, task: string, title: string) =>
    vscode.commands.registerCommand(command, async () => {
      const pending = requests.fromEditor(task, title);
      if (!pending) return;
      s.setCurrentTask(task);
      await requests.send(pending);
    });

  return [
    vscode.commands.registerCommand('tierwise.ask', async (question?: unknown) => {
      const pending = requests.fromEditor('answer', vscode.l10n.t('Ask'));
      if (!pending) return;
      const asked = typeof question === 'string' ? { text: question, wantOverride: false } : await askQuestion(pending.fileName);
      const q = asked?.text;
      if (!q?.trim()) return;
      let override;
      if (asked?.wantOverride) {
        const ov = await requests.pickOverride();
        if (ov === null) return;
        override = ov;
      }
      s.setCurrentTask('answer');
      await requests.send({ ...pending, question: q.trim(), title: vscode.l10n.t('Ask: {0}', q.trim().slice(0, 60)), ...(override ? { override, overrideChosen: true } : {}) });
    }),
    vscode.commands.registerCommand('tierwise.runTask', async (taskId?: unknown) => {
      const tasks = s.router().tasks();
      let id = typeof taskId === 'string' ? taskId : undefined;
      let override;
      if (!id) {
        const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
        qp.title = vscode.l10n.t('Tierwise: Run Task on Selection');
        qp.placeholder = vscode.l10n.t('Pick a task; the tier and model follow from it');
        qp.items = tasks.map((t) => ({ label: localize(taskLabel(t)), description: t.auto ? vscode.l10n.t('tier by what you ask') : vscode.l10n.t('{0} tier', localize(tierName(t.tier))), detail: localize(taskNoun(t)), id: t.id }));
        qp.buttons = [{ iconPath: new vscode.ThemeIcon('settings-gear'), tooltip: CHOOSE_TIER }];
        let wantOverride = false;
        const picked = await new Promise<string | undefined>((resolve) => {
          qp.onDidAccept(() => resolve(qp.selectedItems[0]?.id));
          qp.onDidTriggerButton(() => {
            wantOverride = true;
            resolve(qp.activeItems[0]?.id);
          });
          qp.onDidHide(() => resolve(undefined));
          qp.show();
        });
        qp.dispose();
        if (!picked) return;
        id = picked;
        if (wantOverride) {
          const ov = await requests.pickOverride();
          if (ov === null) return;
          override = ov;
        }
      }
      const task = tasks.find((t) => t.id === id);
      if (!task) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: unknown task "{0}".', String(id)));
        return;
      }
      let question: string | undefined;
      const label = localize(taskLabel(task));
      if (task.question) {
        const questionLabel = localize(taskQuestionLabel(task)!);
        question = await vscode.window.showInputBox({
          title: vscode.l10n.t('Tierwise: {0}', label),
          prompt: localize(taskQuestionPrompt(task)!),
          placeHolder: task.question.default,
          ignoreFocusOut: true,
          validateInput: (v) => (task.question?.required && !v.trim() ? vscode.l10n.t('{0} is needed for this task.', questionLabel) : undefined),
        });
        if (question === undefined) return;
        if (!question.trim() && task.question.default) question = task.question.default;
      }
      const pending = requests.fromEditor(task.id, label, question);
      if (!pending) return;
      s.setCurrentTask(task.id);
      await requests.send({ ...pending, override, ...(override ? { overrideChosen: true } : {}) });
    }),
    direct('tierwise.explain', 'explainCode', vscode.l10n.t('Explain')),
    direct('tierwise.summarise', 'summarise', vscode.l10n.t('Summarise')),
    direct('tierwise.review', 'reviewCode', vscode.l10n.t('Review')),
    direct('tierwise.generate', 'generateCode', vscode.l10n.t('Generate code')),
  ];
}

const CHOOSE_TIER = vscode.l10n.t('Choose the tier or model for this request');

/**
 * The question box of Ask About Selection. Its ⚙ button (or Enter after pressing it) asks for the tier or model of
 * this one request, over the tier chosen from the question.
 */
async function askQuestion(fileName: string | undefined): Promise<{ text: string; wantOverride: boolean } | undefined> {
  const box = vscode.window.createInputBox();
  box.title = vscode.l10n.t('Tierwise: Ask About Selection');
  box.prompt = vscode.l10n.t('About {0}. The tier is chosen from what you ask; ⚙ chooses it yourself.', fileName ?? vscode.l10n.t('the selection'));
  box.placeholder = vscode.l10n.t('What does this do? Is there a bug? …');
  box.ignoreFocusOut = true;
  box.buttons = [{ iconPath: new vscode.ThemeIcon('settings-gear'), tooltip: CHOOSE_TIER }];
  let wantOverride = false;
  try {
    return await new Promise((resolve) => {
      box.onDidAccept(() => resolve({ text: box.value, wantOverride }));
      box.onDidTriggerButton(() => {
        wantOverride = true;
        if (box.value.trim()) resolve({ text: box.value, wantOverride });
        else box.prompt = vscode.l10n.t('Type your question, then press Enter to choose the tier or model.');
      });
      box.onDidHide(() => resolve(undefined));
      box.show();
    });
  } finally {
    box.dispose();
  }
}
