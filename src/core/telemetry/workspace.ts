import { createHash } from 'node:crypto';

/**
 * The `tierwise.workspace` attribute: a short SHA-256 hash of the first workspace folder's URI (12 hex digits, the
 * same on every machine that opens the folder at the same path), or the folder's name when the user allows names
 * (`tierwise.telemetry.workspaceNames`). Undefined without a folder.
 */
export function workspaceIdentity(folder: { uri: string; name: string } | undefined, useNames: boolean): string | undefined {
  if (!folder) return undefined;
  if (useNames) return folder.name;
  return createHash('sha256').update(folder.uri).digest('hex').slice(0, 12);
}
