import type { ToolCall } from '../types';

/**
 * Tool calls as they stream: pieces of each call's id, name and JSON arguments by index (OpenAI `delta.tool_calls`,
 * Anthropic `tool_use` blocks with `input_json_delta`), complete calls at the end. Arguments that are not a JSON
 * object (the model's output is untrusted) become `{}` with the raw text kept under `_raw`, so the caller's tool
 * sees what was sent rather than the turn failing.
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id: string; name: string; args: string }>();

  add(index: number, piece: { id?: string | null; name?: string | null; args?: string | null }): void {
    const c = this.calls.get(index) ?? { id: '', name: '', args: '' };
    if (piece.id) c.id = piece.id;
    if (piece.name) c.name += c.name && c.name === piece.name ? '' : piece.name;
    if (piece.args) c.args += piece.args;
    this.calls.set(index, c);
  }

  get size(): number {
    return this.calls.size;
  }

  finish(): ToolCall[] {
    const out: ToolCall[] = [];
    for (const [index, c] of [...this.calls.entries()].sort((x, y) => x[0] - y[0])) {
      if (!c.name) continue;
      out.push({ id: c.id || `call_${index}`, name: c.name, input: parseInput(c.args) });
    }
    return out;
  }
}

export function parseInput(args: string): object {
  if (!args.trim()) return {};
  try {
    const v: unknown = JSON.parse(args);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : { _raw: args };
  } catch {
    return { _raw: args };
  }
}
