/**
 * The task catalogue: what Tierwise can do with a selection, at which tier, with which prompt and how many
 * output tokens. Users add or override tasks through the `tierwise.tasks` setting (see taskSettings.ts).
 */
import type { Tier } from '../types';
import { english, msg, type Message } from '../messages';

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

/** The words of a built-in task for users, in the message catalogue (its English is the task's own text). */
interface TaskText {
  label: Message;
  noun: Message;
  questionLabel?: Message;
  questionPrompt?: Message;
}

const TEXT = {
  classify: { label: msg('routing.task.classify.label'), noun: msg('routing.task.classify.noun'), questionLabel: msg('routing.task.classify.questionLabel'), questionPrompt: msg('routing.task.classify.questionPrompt') },
  extractKeywords: { label: msg('routing.task.extractKeywords.label'), noun: msg('routing.task.extractKeywords.noun') },
  convertFormat: { label: msg('routing.task.convertFormat.label'), noun: msg('routing.task.convertFormat.noun'), questionLabel: msg('routing.task.convertFormat.questionLabel'), questionPrompt: msg('routing.task.convertFormat.questionPrompt') },
  summarise: { label: msg('routing.task.summarise.label'), noun: msg('routing.task.summarise.noun') },
  answer: { label: msg('routing.task.answer.label'), noun: msg('routing.task.answer.noun'), questionLabel: msg('routing.task.answer.questionLabel'), questionPrompt: msg('routing.task.answer.questionPrompt') },
  rewrite: { label: msg('routing.task.rewrite.label'), noun: msg('routing.task.rewrite.noun'), questionLabel: msg('routing.task.rewrite.questionLabel'), questionPrompt: msg('routing.task.rewrite.questionPrompt') },
  explainCode: { label: msg('routing.task.explainCode.label'), noun: msg('routing.task.explainCode.noun') },
  reviewCode: { label: msg('routing.task.reviewCode.label'), noun: msg('routing.task.reviewCode.noun') },
  generateCode: { label: msg('routing.task.generateCode.label'), noun: msg('routing.task.generateCode.noun') },
  analyseDocument: { label: msg('routing.task.analyseDocument.label'), noun: msg('routing.task.analyseDocument.noun'), questionLabel: msg('routing.task.analyseDocument.questionLabel'), questionPrompt: msg('routing.task.analyseDocument.questionPrompt') },
} satisfies Record<string, TaskText>;

/** The default tasks, keyed by id. Every system prompt stays well under 500 tokens. */
const ENTRIES = {
  classify: {
    label: english(TEXT.classify.label),
    noun: english(TEXT.classify.noun),
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
    question: { label: english(TEXT.classify.questionLabel), prompt: english(TEXT.classify.questionPrompt), required: false },
  },
  extractKeywords: {
    label: english(TEXT.extractKeywords.label),
    noun: english(TEXT.extractKeywords.noun),
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
    label: english(TEXT.convertFormat.label),
    noun: english(TEXT.convertFormat.noun),
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
    question: { label: english(TEXT.convertFormat.questionLabel), prompt: english(TEXT.convertFormat.questionPrompt), required: true },
  },
  summarise: {
    label: english(TEXT.summarise.label),
    noun: english(TEXT.summarise.noun),
    tier: 'medium',
    system: SUMMARISE_SYSTEM,
    examples: [],
    maxTokens: 300,
    code: false,
  },
  answer: {
    label: english(TEXT.answer.label),
    noun: english(TEXT.answer.noun),
    tier: 'medium',
    system: ANSWER_SYSTEM,
    examples: [],
    maxTokens: 500,
    code: true,
    auto: true,
    question: { label: english(TEXT.answer.questionLabel), prompt: english(TEXT.answer.questionPrompt), required: true },
  },
  rewrite: {
    label: english(TEXT.rewrite.label),
    noun: english(TEXT.rewrite.noun),
    tier: 'medium',
    system: REWRITE_SYSTEM,
    examples: [],
    maxTokens: { perInputToken: 1.3, base: 64, max: 8_000 },
    code: false,
    question: { label: english(TEXT.rewrite.questionLabel), prompt: english(TEXT.rewrite.questionPrompt), required: false },
  },
  explainCode: {
    label: english(TEXT.explainCode.label),
    noun: english(TEXT.explainCode.noun),
    tier: 'medium',
    system: EXPLAIN_SYSTEM,
    examples: [],
    maxTokens: 800,
    code: true,
  },
  reviewCode: {
    label: english(TEXT.reviewCode.label),
    noun: english(TEXT.reviewCode.noun),
    tier: 'complex',
    system: REVIEW_SYSTEM,
    examples: [],
    maxTokens: 1200,
    code: true,
  },
  generateCode: {
    label: english(TEXT.generateCode.label),
    noun: english(TEXT.generateCode.noun),
    tier: 'complex',
    system: GENERATE_SYSTEM,
    examples: [],
    maxTokens: 2000,
    code: true,
  },
  analyseDocument: {
    label: english(TEXT.analyseDocument.label),
    noun: english(TEXT.analyseDocument.noun),
    tier: 'complex',
    system: ANALYSE_SYSTEM,
    examples: [],
    maxTokens: 1500,
    code: true,
    question: { label: english(TEXT.analyseDocument.questionLabel), prompt: english(TEXT.analyseDocument.questionPrompt), required: false },
  },
} satisfies Record<string, Omit<TaskDef, 'id'>>;

/** The id of a built-in task: the keys of the catalogue above. */
export type TaskId = keyof typeof ENTRIES;

export const TASK_IDS = Object.keys(ENTRIES) as readonly TaskId[];

export const DEFAULT_TASKS: Readonly<Record<TaskId, TaskDef>> = Object.freeze(
  Object.fromEntries(TASK_IDS.map((id) => [id, { id, ...ENTRIES[id] }])) as Record<TaskId, TaskDef>,
);

/** The built-in words of `task` for `field`, when the task still has them (the settings may have replaced them). */
function builtIn(task: Pick<TaskDef, 'id'>, field: keyof TaskText, value: string | undefined): Message | undefined {
  const m = Object.hasOwn(TEXT, task.id) ? (TEXT as Record<string, TaskText>)[task.id]![field] : undefined;
  return m && value !== undefined && english(m) === value ? m : undefined;
}

/** A task's label for users: the catalogue's message for a built-in one, the user's own words as they are. */
export function taskLabel(task: Pick<TaskDef, 'id' | 'label'>): Message {
  return builtIn(task, 'label', task.label) ?? msg('common.asIs', task.label);
}

/** A task's noun for reason lines ("classification"), as `taskLabel`. */
export function taskNoun(task: Pick<TaskDef, 'id' | 'noun'>): Message {
  return builtIn(task, 'noun', task.noun) ?? msg('common.asIs', task.noun);
}

/** The label of a task's question for users ("Target format"); the prompt keeps the English label. */
export function taskQuestionLabel(task: Pick<TaskDef, 'id' | 'question'>): Message | undefined {
  const q = task.question;
  return q ? (builtIn(task, 'questionLabel', q.label) ?? msg('common.asIs', q.label)) : undefined;
}

/** The prompt of a task's question, for the host's input box. */
export function taskQuestionPrompt(task: Pick<TaskDef, 'id' | 'question'>): Message | undefined {
  const q = task.question;
  return q ? (builtIn(task, 'questionPrompt', q.prompt) ?? msg('common.asIs', q.prompt)) : undefined;
}
