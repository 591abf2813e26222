/** What a task sends: its output budget and its messages, laid out for prompt caching. */
import type { ChatMessage } from '../types';
import type { TaskDef } from './taskCatalogue';
import { fence, roughTokens } from './text';

export type { TaskDef, TaskId } from './taskCatalogue';

/** The output budget of a task for an input of `inputTokens`, before any model cap. */
export function taskMaxTokens(task: TaskDef, inputTokens: number): number {
  const m = task.maxTokens;
  if (typeof m === 'number') return m;
  return Math.min(m.max, Math.ceil(Math.max(0, inputTokens) * m.perInputToken) + m.base);
}

export interface TaskInput {
  selectionText: string;
  languageId?: string;
  fileName?: string;
  question?: string;
}

/** Language ids that mean "prose", fenced without a language tag. */
const PROSE_LANGUAGES = new Set(['plaintext', 'markdown', 'text', '']);

/** The stable part of the user's input: the file header and the fenced selection (no question). */
export function buildDocumentContent(task: TaskDef, input: TaskInput): string {
  const parts: string[] = [];
  const lang = input.languageId?.trim() ?? '';
  const isProse = PROSE_LANGUAGES.has(lang);
  if (input.fileName) parts.push(`File: ${input.fileName}${lang ? ` (${lang})` : ''}`);
  else if (task.code && !isProse) parts.push(`Language: ${lang}`);
  parts.push(`Input:\n${fence(input.selectionText, task.code && !isProse ? lang : '')}`);
  return parts.join('\n\n');
}

/** The changing part: the question (or the task's default for it), with its label; undefined when there is none. */
export function buildQuestionContent(task: TaskDef, input: Pick<TaskInput, 'question'>): string | undefined {
  const q = input.question?.trim() || task.question?.default;
  return q ? `${task.question?.label ?? 'Note'}: ${q}` : undefined;
}

/**
 * The whole user input as one text: stable parts first (file header, then the selection), the question last, so
 * that repeated questions over the same selection share the longest possible prefix.
 */
export function buildUserContent(task: TaskDef, input: TaskInput): string {
  const q = buildQuestionContent(task, input);
  const doc = buildDocumentContent(task, input);
  return q ? `${doc}\n\n${q}` : doc;
}

export interface BuiltMessages {
  system: string;
  messages: ChatMessage[];
}

/**
 * The prompt laid out stable part first, which is what lets prompt caches hit:
 * 1. the system prompt and the few-shot pairs;
 * 2. the document or selection, as its own user message marked `stable` (the end of the cacheable prefix);
 * 3. the question, last, as a separate user message (absent for tasks without one).
 * Two questions about the same selection then share everything up to and including the selection.
 */
export function buildMessages(task: TaskDef, input: TaskInput): BuiltMessages {
  const messages: ChatMessage[] = [];
  for (const ex of task.examples) {
    messages.push({ role: 'user', content: ex.user }, { role: 'assistant', content: ex.assistant });
  }
  messages.push({ role: 'user', content: buildDocumentContent(task, input), stable: true });
  const q = buildQuestionContent(task, input);
  if (q) messages.push({ role: 'user', content: q });
  return { system: task.system, messages };
}

/**
 * Tokens a task adds around the user's text: system prompt, few-shot pairs and framing. The selection and the
 * question themselves are not counted (the caller counts them with a real tokenizer).
 */
export function taskOverheadTokens(
  task: TaskDef,
  input: Omit<TaskInput, 'selectionText'>,
  count: (text: string) => number = roughTokens,
): number {
  let n = count(task.system);
  for (const ex of task.examples) n += count(ex.user) + count(ex.assistant);
  const frame = buildUserContent(task, { ...input, selectionText: '', question: input.question ? '?' : undefined });
  return n + count(frame);
}
