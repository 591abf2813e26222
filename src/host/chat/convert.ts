/**
 * VS Code's chat messages and tools in Tierwise's request shape (src/core/types.ts), and back: text parts, tool calls
 * and tool results. Parts Tierwise cannot send (images, data) are left out and counted, so the caller can say so.
 */
import * as vscode from 'vscode';
import { messageText, type ChatMessage, type ToolChoice, type ToolDefinition, type ToolResult } from '../../core/types';

export interface Converted {
  messages: ChatMessage[];
  /** The system prompt, where VS Code sent one (a System role, proposed API): sent as the request's system. */
  system?: string;
  /** Parts left out (images, data). */
  dropped: number;
}

/** The text of a tool result's content: its text parts, joined; other parts are described by their kind. */
function resultText(part: vscode.LanguageModelToolResultPart): string {
  const out: string[] = [];
  for (const c of part.content) {
    if (c instanceof vscode.LanguageModelTextPart) out.push(c.value);
    else if (c && typeof c === 'object' && 'value' in c && typeof (c as { value: unknown }).value === 'string') out.push((c as { value: string }).value);
  }
  return out.join('');
}

/** System-role messages (VS Code's proposed role 3) become the system prompt. */
const SYSTEM_ROLE = 3;

export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): Converted {
  const out: ChatMessage[] = [];
  const system: string[] = [];
  let dropped = 0;
  for (const m of messages) {
    let text = '';
    const calls: ChatMessage['toolCalls'] = [];
    const results: ToolResult[] = [];
    for (const part of m.content) {
      if (part instanceof vscode.LanguageModelTextPart) text += part.value;
      else if (part instanceof vscode.LanguageModelToolCallPart) calls.push({ id: part.callId, name: part.name, input: part.input ?? {} });
      else if (part instanceof vscode.LanguageModelToolResultPart) results.push({ callId: part.callId, content: resultText(part) });
      else dropped++;
    }
    if ((m.role as number) === SYSTEM_ROLE) {
      if (text) system.push(text);
      continue;
    }
    const role = m.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : 'user';
    if (!text && !calls.length && !results.length) continue;
    const msg: ChatMessage = { role, content: text };
    if (role === 'assistant' && calls.length) msg.toolCalls = calls;
    if (role === 'user' && results.length) msg.toolResults = results;
    out.push(msg);
  }
  return { messages: out, ...(system.length ? { system: system.join('\n\n') } : {}), dropped };
}

export function toToolDefinitions(tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolDefinition[] {
  return (tools ?? []).map((t) => ({ name: t.name, description: t.description, ...(t.inputSchema ? { inputSchema: t.inputSchema } : {}) }));
}

export function toToolChoice(mode: vscode.LanguageModelChatToolMode | undefined): ToolChoice {
  return mode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto';
}

/** The text of one message as counted (provideTokenCount of a message): the same text a request counts. */
export function messageCountText(m: vscode.LanguageModelChatRequestMessage): string {
  const c = toChatMessages([m]);
  return [c.system ?? '', ...c.messages.map(messageText)].filter(Boolean).join('\n');
}
