/** JSON Lines, as the batch APIs use for input and results. */

export function toJsonl(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join('\n') + (values.length ? '\n' : '');
}

export interface JsonlParse {
  values: unknown[];
  /** "line N: reason" for each line that is not JSON. Blank lines are skipped silently. */
  errors: string[];
}

export function parseJsonl(text: string): JsonlParse {
  const values: unknown[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      values.push(JSON.parse(line));
    } catch (e) {
      errors.push(`line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { values, errors };
}
