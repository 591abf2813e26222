/** User tasks from the `tierwise.tasks` setting, checked field by field and merged over the catalogue. */
import { TIERS, type Tier } from '../types';
import { DEFAULT_TASKS, type FewShot, type ScaledMaxTokens, type TaskDef, type TaskQuestion } from './taskCatalogue';
import { roughTokens } from './text';

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
