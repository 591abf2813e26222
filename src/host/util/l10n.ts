/** Core's messages in VS Code's display language: the English template is the key into the l10n bundle. */
import * as vscode from 'vscode';
import { formatMessage, type Message } from '../../core/messages';

/** A core message, formatted through `vscode.l10n` (nested messages too). */
export function localize(m: Message): string {
  return formatMessage(m, (template, args) => vscode.l10n.t(template, ...args));
}
