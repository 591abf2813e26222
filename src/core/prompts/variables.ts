/** `{{name}}` references (Jinja-ish: spaces and `| filters` are allowed and ignored). */
import type { TextIndex } from './text';
import type { Range } from './model';

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A fresh regex each call: matches `{{ name }}`, `{{name|upper}}`; group 1 is the name. */
export function variablePattern(): RegExp {
  return /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|[^{}\r\n]*)?\}\}/g;
}

export interface FoundReference {
  name: string;
  range: Range;
  /** Offset in the text that was scanned. */
  start: number;
  end: number;
}

/** References inside `text.slice(from, to)`, with document ranges. */
export function findReferences(idx: TextIndex, from: number, to: number): FoundReference[] {
  const out: FoundReference[] = [];
  const slice = idx.text.slice(from, to);
  const re = variablePattern();
  for (let m = re.exec(slice); m; m = re.exec(slice)) {
    const start = from + m.index;
    const end = start + m[0].length;
    out.push({ name: m[1], range: idx.range(start, end), start, end });
  }
  return out;
}

/** Replace every reference whose value is known; unknown ones stay as written. */
export function substitute(text: string, valueOf: (name: string) => string | undefined): string {
  return text.replace(variablePattern(), (whole: string, name: string) => {
    const v = valueOf(name);
    return v === undefined ? whole : v;
  });
}

/** Stringify a YAML default value for substitution. */
export function valueToText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}
