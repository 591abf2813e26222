/**
 * The workspace a call is recorded under: the first workspace folder, as a short hash of its URI (the ledger's
 * `workspace`, the same for the same folder, saying nothing of its path) and its folder name (for display).
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';

export interface WorkspaceId {
  /** The first 12 hex digits of the SHA-256 of the first folder's URI (`Uri.toString()`). */
  id: string;
  /** The folder's name. */
  name: string;
}

/** The id of a folder URI (exported for tests). */
export function workspaceIdOf(uri: string): string {
  return createHash('sha256').update(uri).digest('hex').slice(0, 12);
}

let last: { uri: string; ws: WorkspaceId } | undefined;

/** This window's workspace; undefined in a window without a folder. */
export function currentWorkspace(): WorkspaceId | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const uri = folder.uri.toString();
  if (last?.uri !== uri) last = { uri, ws: { id: workspaceIdOf(uri), name: folder.name } };
  return last.ws;
}
