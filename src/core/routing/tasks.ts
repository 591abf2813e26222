/**
 * The task catalogue: what Tierwise can do with a selection, at which tier, with which prompt and how many
 * output tokens. Users add or override tasks through the `tierwise.tasks` setting (see `mergeTasks`).
 */
import type { ChatMessage, Tier } from '../types';
import { TIERS } from '../types';
import { fence, roughTokens } from './text';

export type TaskId =
  | 'classify'
  | 'extractKeywords'
  | 'convertFormat'
  | 'summarise'
  | 'answer'
  | 'rewrite'
  | 'explainCode'
  | 'reviewCode'
  | 'generateCode'
  | 'analyseDocument';

export const TASK_IDS: readonly TaskId[] = [
  'classify',
  'extractKeywords',
  'convertFormat',
  'summarise',
  'answer',
  'rewrite',
  'explainCode',
  'reviewCode',
  'generateCode',
  'analyseDocument',
];

/** Output sized to the input: `ceil(inputTokens * perInputToken) + base`, capped at `max`. */
export interface ScaledMaxTokens {
  perInputToken: number;
  base: number;
  max: number;
}

export interface FewShot {
  user: string;
  assistant: string;
}

/** The extra line of input a task takes from the user (the host asks for it in an input box). */
export interface TaskQuestion {
  /** Label put before the text in the prompt, e.g. "Question", "Target format". */
  label: string;
  /** Prompt for the host's input box. */
  prompt: string;
  required: boolean;
  /** Used when the user gives nothing (only for optional questions). */
  default?: string;
}

export interface TaskDef {
  id: string;
  /** Short imperative label for menus, e.g. "Explain code". */
  label: string;
  /** Noun used in routing explanations, e.g. "classification". */
  noun: string;
  tier: Tier;
  system: string;
  examples: FewShot[];
  maxTokens: number | ScaledMaxTokens;
  temperature?: number;
  question?: TaskQuestion;
  /** false for tasks on prose; true when the selection is code (fenced with its language id). */
  code: boolean;
  /**
   * Routed by what the request asks (the complexity router) rather than by `tier`, which stays the task's default
   * tier (the basis of "saved by routing"). Set by `"tier": "auto"` in the settings; Ask About Selection has it.
   */
  auto?: boolean;
  /** Internal task (e.g. a prompt file's own request): routed like the others, never offered in a task picker. */
  hidden?: boolean;
}

const CLASSIFY_SYSTEM = `You are a precise text classifier.
Assign the input to exactly one label.
- If labels are given, use only those labels, spelled exactly as given.
- Otherwise classify sentiment as one of: positive, negative, neutral, mixed.
- Judge the input as a whole; sarcasm counts by its intended meaning.
Reply with the label only: no explanation, no quotes, no trailing punctuation.`;

const KEYWORDS_SYSTEM = `You extract keywords for search and tagging.
Return 3 to 10 keywords or short key phrases (1-3 words) that best capture what the input is about, most important first.
- Prefer specific terms (names, technologies, concepts) over generic words.
- Use the input's own wording; lowercase except proper nouns and acronyms.
- No duplicates or near-duplicates.
Reply with one comma-separated line and nothing else.`;

const CONVERT_SYSTEM = `You convert data and text between formats (JSON, YAML, TOML, CSV, XML, Markdown tables, SQL inserts, code literals and similar).
- Preserve every value, key order and nesting; do not add, drop or rename data.
- Keep types faithful (numbers stay numbers, booleans stay booleans, null stays null) where the target can express them.
- Follow the target format's conventions (quoting, escaping, indentation of 2 spaces).
- If something cannot be represented, convert the rest and add one short comment saying what was lost, in the target format's comment syntax if it has one.
Reply with the converted content only, inside a single fenced code block.`;

const SUMMARISE_SYSTEM = `You write short, faithful summaries.
- Open with one sentence giving the main point.
- Then at most 5 bullet points with the key facts, decisions, numbers and open questions.
- Use only information in the input; never add opinions or facts from elsewhere.
- Keep names, figures and technical terms exact. Write in the input's language.
- For code, summarise what it does and its notable behaviour, not line by line.`;

const ANSWER_SYSTEM = `You are a knowledgeable assistant inside a code editor. The user selected some text or code and asks a question about it.
- Answer the question directly first, then give only the explanation needed.
- Ground the answer in the selection; say so plainly when the selection does not contain the answer, and answer from general knowledge only if that is still useful, marked as such.
- Quote the exact lines you refer to. Use fenced code blocks for code.
- Be concise; do not repeat the question or the selection.`;

const REWRITE_SYSTEM = `You are an expert editor. Rewrite the input so it is clear, concise and correct.
- Keep the meaning, facts, tone and language of the original; keep its format (Markdown, comments, lists, code identifiers) intact.
- Fix grammar, spelling and awkward phrasing; remove redundancy; prefer plain, active sentences.
- Follow the user's instructions when given (e.g. "more formal", "shorter", "for beginners"); they override these defaults.
- Leave code, URLs, names and numbers unchanged.
Reply with the rewritten text only, without preamble or notes.`;

const EXPLAIN_SYSTEM = `You explain code to a developer who is reading it in their editor.
Structure:
1. Purpose: one or two sentences on what the code does and why.
2. How it works: walk through the main steps in order, naming the functions, variables and lines involved.
3. Notable details: non-obvious behaviour, edge cases, side effects, complexity, library or language features a reader might not know.
- Match depth to the code: short code gets a short explanation.
- Do not rewrite the code or suggest changes unless something is clearly wrong; then mention it briefly at the end.
- Use Markdown; put identifiers in backticks.`;

const REVIEW_SYSTEM = `You are a senior engineer doing a careful code review.
Find real problems, most severe first: bugs and logic errors, unhandled edge cases and errors, security issues (injection, secrets, unsafe input), concurrency and resource leaks, performance traps, then readability and maintainability.
For each finding give:
- severity (high / medium / low), the line or identifier concerned,
- what is wrong and why it matters, in one or two sentences,
- a concrete fix, with a short code snippet when it helps.
Rules:
- Only report issues you can justify from the code shown; say when something depends on code you cannot see.
- Do not pad the review with praise or style nits covered by a formatter.
- If the code is sound, say so and list at most three optional improvements.
End with a one-line verdict.`;

const GENERATE_SYSTEM = `You write production-quality code from a description, usually a code comment the user selected.
- Implement exactly what the description asks, in the file's language and in the style of the surrounding code (naming, indentation, idioms).
- Handle errors and edge cases the description implies; do not invent features it does not ask for.
- Use only the standard library and dependencies the description or file already names.
- Prefer clear code over clever code; add brief comments only where intent is not obvious.
Reply with the code in one fenced code block, followed by at most three short lines on assumptions or usage if needed.`;

const ANALYSE_SYSTEM = `You analyse long documents and codebases for a technical reader.
Produce a structured analysis in Markdown:
1. Overview: what the document is, its purpose and audience, in 2-3 sentences.
2. Structure: the main parts and how they relate.
3. Key points: the important facts, decisions, requirements or behaviour, with references to sections, headings or identifiers.
4. Issues: contradictions, gaps, risks, ambiguities or errors you find, each with where it occurs.
5. Answer to the user's focus question, if one is given.
- Base every statement on the document; cite where it comes from. Say when the document does not cover something.
- Be thorough but not repetitive; prefer lists and short paragraphs.`;

/** The default catalogue. Every system prompt stays well under 500 tokens. */
export const DEFAULT_TASKS: Readonly<Record<TaskId, TaskDef>> = Object.freeze({
  classify: {
    id: 'classify',
    label: 'Classify',
    noun: 'classification',
    tier: 'simple',
    system: CLASSIFY_SYSTEM,
    examples: [
      {
        user: 'Input:\n```\nThe export button does nothing when the file name has a space in it.\n```\n\nLabels: bug, feature request, question',
        assistant: 'bug',
      },
      {
        user: "Input:\n```\nHonestly the new release is fast, but the settings page keeps losing my changes.\n```",
        assistant: 'mixed',
      },
    ],
    maxTokens: 10,
    temperature: 0,
    code: false,
    question: { label: 'Labels', prompt: 'Labels to choose from, comma-separated (empty for sentiment)', required: false },
  },
  extractKeywords: {
    id: 'extractKeywords',
    label: 'Extract keywords',
    noun: 'keyword extraction',
    tier: 'simple',
    system: KEYWORDS_SYSTEM,
    examples: [
      {
        user: 'Input:\n```\nWe moved the payment service from REST polling to Kafka events, which cut p99 latency in half but made retries harder to reason about.\n```',
        assistant: 'payment service, Kafka, event-driven architecture, p99 latency, retries, REST polling',
      },
    ],
    maxTokens: 60,
    temperature: 0,
    code: false,
  },
  convertFormat: {
    id: 'convertFormat',
    label: 'Convert format',
    noun: 'format conversion',
    tier: 'simple',
    system: CONVERT_SYSTEM,
    examples: [
      {
        user: 'Input:\n```\n{"name": "api", "port": 8080, "tls": false, "hosts": ["a.example", "b.example"]}\n```\n\nTarget format: YAML',
        assistant: '```yaml\nname: api\nport: 8080\ntls: false\nhosts:\n  - a.example\n  - b.example\n```',
      },
    ],
    // Formats differ in verbosity (JSON -> YAML shrinks, CSV -> JSON grows): leave room for growth.
    maxTokens: { perInputToken: 1.6, base: 64, max: 16_000 },
    temperature: 0,
    code: true,
    question: { label: 'Target format', prompt: 'Convert to which format? (e.g. YAML, JSON, CSV)', required: true },
  },
  summarise: {
    id: 'summarise',
    label: 'Summarise',
    noun: 'summary',
    tier: 'medium',
    system: SUMMARISE_SYSTEM,
    examples: [],
    maxTokens: 300,
    code: false,
  },
  answer: {
    id: 'answer',
    label: 'Ask a question',
    noun: 'question',
    tier: 'medium',
    system: ANSWER_SYSTEM,
    examples: [],
    maxTokens: 500,
    code: true,
    auto: true,
    question: { label: 'Question', prompt: 'Your question about the selection', required: true },
  },
  rewrite: {
    id: 'rewrite',
    label: 'Rewrite',
    noun: 'rewrite',
    tier: 'medium',
    system: REWRITE_SYSTEM,
    examples: [],
    maxTokens: { perInputToken: 1.3, base: 64, max: 8_000 },
    code: false,
    question: { label: 'Instructions', prompt: 'How to rewrite it? (optional, e.g. "more formal")', required: false },
  },
  explainCode: {
    id: 'explainCode',
    label: 'Explain code',
    noun: 'code explanation',
    tier: 'medium',
    system: EXPLAIN_SYSTEM,
    examples: [],
    maxTokens: 800,
    code: true,
  },
  reviewCode: {
    id: 'reviewCode',
    label: 'Review code',
    noun: 'code review',
    tier: 'complex',
    system: REVIEW_SYSTEM,
    examples: [],
    maxTokens: 1200,
    code: true,
  },
  generateCode: {
    id: 'generateCode',
    label: 'Generate code from comment',
    noun: 'code generation',
    tier: 'complex',
    system: GENERATE_SYSTEM,
    examples: [],
    maxTokens: 2000,
    code: true,
  },
  analyseDocument: {
    id: 'analyseDocument',
    label: 'Analyse long document',
    noun: 'document analysis',
    tier: 'complex',
    system: ANALYSE_SYSTEM,
    examples: [],
    maxTokens: 1500,
    code: true,
    question: { label: 'Focus', prompt: 'Anything to focus on? (optional)', required: false },
  },
} satisfies Record<TaskId, TaskDef>);

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

// ---------------------------------------------------------------------------------------------------------------
// User tasks from settings

export interface TaskMergeResult {
  tasks: Record<string, TaskDef>;
  /** One line per problem; bad entries (or bad fields) are skipped, never thrown. */
  problems: string[];
}

const TASK_ID_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const KNOWN_FIELDS = new Set([
  'label',
  'noun',
  'tier',
  'system',
  'examples',
  'maxTokens',
  'temperature',
  'question',
  'code',
]);
/** System prompts above this many (rough) tokens are accepted but reported. */
export const SYSTEM_PROMPT_TOKEN_WARNING = 500;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseMaxTokens(v: unknown): number | ScaledMaxTokens | string {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 1 && v <= 200_000 ? v : 'must be an integer from 1 to 200000';
  }
  if (isRecord(v)) {
    const { perInputToken, base, max } = v;
    if (typeof perInputToken !== 'number' || !(perInputToken > 0) || perInputToken > 10) {
      return 'perInputToken must be a number in (0, 10]';
    }
    const b = base === undefined ? 0 : base;
    const mx = max === undefined ? 16_000 : max;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0) return 'base must be a non-negative integer';
    if (typeof mx !== 'number' || !Number.isInteger(mx) || mx < 1) return 'max must be a positive integer';
    return { perInputToken, base: b, max: mx };
  }
  return 'must be a number or { perInputToken, base, max }';
}

function parseExamples(v: unknown): FewShot[] | string {
  if (!Array.isArray(v)) return 'must be an array of { user, assistant }';
  const out: FewShot[] = [];
  for (const [i, e] of v.entries()) {
    if (!isRecord(e) || typeof e.user !== 'string' || typeof e.assistant !== 'string' || !e.user || !e.assistant) {
      return `item ${i} must be { user: string, assistant: string }`;
    }
    out.push({ user: e.user, assistant: e.assistant });
  }
  return out;
}

function parseQuestion(v: unknown): TaskQuestion | string {
  if (typeof v === 'string' && v.trim()) return { label: v.trim(), prompt: v.trim(), required: false };
  if (!isRecord(v) || typeof v.label !== 'string' || !v.label.trim()) {
    return 'must be a label string or { label, prompt?, required?, default? }';
  }
  if (v.prompt !== undefined && typeof v.prompt !== 'string') return 'prompt must be a string';
  if (v.required !== undefined && typeof v.required !== 'boolean') return 'required must be a boolean';
  if (v.default !== undefined && typeof v.default !== 'string') return 'default must be a string';
  const q: TaskQuestion = {
    label: v.label.trim(),
    prompt: typeof v.prompt === 'string' ? v.prompt : v.label.trim(),
    required: v.required === true,
  };
  if (typeof v.default === 'string') q.default = v.default;
  return q;
}

/**
 * Merge user task entries (the `tierwise.tasks` setting, a plain object id -> partial task) over `base`.
 * An entry for an existing id overrides only the fields it gives; a new id needs at least `system` and `tier`
 * (label defaults to the id, maxTokens to 800). Invalid fields are skipped and reported; an invalid new task is
 * dropped and reported.
 */
export function mergeTasks(
  raw: unknown,
  base: Readonly<Record<string, TaskDef>> = DEFAULT_TASKS,
): TaskMergeResult {
  const tasks: Record<string, TaskDef> = {};
  for (const [id, t] of Object.entries(base)) tasks[id] = { ...t, examples: [...t.examples] };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { tasks, problems };
  if (!isRecord(raw)) {
    problems.push('tierwise.tasks must be an object mapping task ids to task definitions; ignored.');
    return { tasks, problems };
  }
  for (const [id, entry] of Object.entries(raw)) {
    const where = `tierwise.tasks.${id}`;
    if (!TASK_ID_RE.test(id)) {
      problems.push(`${where}: invalid task id (letters, digits, '_', '.', '-'; starting with a letter); ignored.`);
      continue;
    }
    if (!isRecord(entry)) {
      problems.push(`${where}: must be an object; ignored.`);
      continue;
    }
    const existing = tasks[id];
    const patch: Partial<TaskDef> = {};
    const bad = (field: string, why: string) => problems.push(`${where}.${field}: ${why}; ignored.`);
    for (const key of Object.keys(entry)) {
      if (!KNOWN_FIELDS.has(key)) bad(key, `unknown field (known: ${[...KNOWN_FIELDS].join(', ')})`);
    }
    if ('label' in entry) {
      if (typeof entry.label === 'string' && entry.label.trim()) patch.label = entry.label.trim();
      else bad('label', 'must be a non-empty string');
    }
    if ('noun' in entry) {
      if (typeof entry.noun === 'string' && entry.noun.trim()) patch.noun = entry.noun.trim();
      else bad('noun', 'must be a non-empty string');
    }
    if ('tier' in entry) {
      if (typeof entry.tier === 'string' && (TIERS as readonly string[]).includes(entry.tier)) {
        patch.tier = entry.tier as Tier;
        patch.auto = false;
      } else if (entry.tier === 'auto') {
        // Routed by the request; the default tier (for "saved by routing") stays the task's own, or medium.
        patch.tier = existing?.tier ?? 'medium';
        patch.auto = true;
      } else bad('tier', `must be one of ${TIERS.join(', ')} or auto`);
    }
    if ('system' in entry) {
      if (typeof entry.system === 'string' && entry.system.trim()) {
        patch.system = entry.system;
        const n = roughTokens(entry.system);
        if (n >= SYSTEM_PROMPT_TOKEN_WARNING) {
          problems.push(
            `${where}.system: about ${n} tokens, which is sent with every request; consider shortening it (kept).`,
          );
        }
      } else bad('system', 'must be a non-empty string');
    }
    if ('examples' in entry) {
      const ex = parseExamples(entry.examples);
      if (typeof ex === 'string') bad('examples', ex);
      else patch.examples = ex;
    }
    if ('maxTokens' in entry) {
      const m = parseMaxTokens(entry.maxTokens);
      if (typeof m === 'string') bad('maxTokens', m);
      else patch.maxTokens = m;
    }
    if ('temperature' in entry) {
      const t = entry.temperature;
      if (typeof t === 'number' && t >= 0 && t <= 2) patch.temperature = t;
      else bad('temperature', 'must be a number from 0 to 2');
    }
    if ('question' in entry) {
      const q = parseQuestion(entry.question);
      if (typeof q === 'string') bad('question', q);
      else patch.question = q;
    }
    if ('code' in entry) {
      if (typeof entry.code === 'boolean') patch.code = entry.code;
      else bad('code', 'must be a boolean');
    }

    if (existing) {
      tasks[id] = { ...existing, ...patch };
      continue;
    }
    const missing = (['system', 'tier'] as const).filter((k) => patch[k] === undefined);
    if (missing.length) {
      problems.push(`${where}: a new task needs a valid ${missing.join(' and ')}; task not added.`);
      continue;
    }
    tasks[id] = {
      id,
      label: patch.label ?? id,
      noun: patch.noun ?? (patch.label ?? id).toLowerCase(),
      tier: patch.tier!,
      system: patch.system!,
      examples: patch.examples ?? [],
      maxTokens: patch.maxTokens ?? 800,
      code: patch.code ?? true,
      ...(patch.temperature !== undefined ? { temperature: patch.temperature } : {}),
      ...(patch.question ? { question: patch.question } : {}),
      ...(patch.auto ? { auto: true } : {}),
    };
  }
  return { tasks, problems };
}
