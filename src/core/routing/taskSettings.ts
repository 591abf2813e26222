/** User tasks from the `tierwise.tasks` setting, checked field by field and merged over the catalogue. */
import { TIERS, type Tier } from '../types';
import { DEFAULT_TASKS, type FewShot, type ScaledMaxTokens, type TaskDef, type TaskQuestion } from './taskCatalogue';
import { roughTokens } from './text';
import { isMessage, msg, type Message } from '../messages';
import { settingProblem, type SettingProblem } from '../settingProblems';

export interface TaskMergeResult {
  tasks: Record<string, TaskDef>;
  /** One per problem, each about `tierwise.tasks`; bad entries (or bad fields) are skipped, never thrown. */
  problems: SettingProblem[];
}

const SETTING = 'tierwise.tasks';
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

function parseMaxTokens(v: unknown): number | ScaledMaxTokens | Message {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 1 && v <= 200_000 ? v : msg('settings.tasks.maxTokensRange');
  }
  if (isRecord(v)) {
    const { perInputToken, base, max } = v;
    if (typeof perInputToken !== 'number' || !(perInputToken > 0) || perInputToken > 10) {
      return msg('settings.tasks.perInputToken');
    }
    const b = base === undefined ? 0 : base;
    const mx = max === undefined ? 16_000 : max;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0) return msg('settings.tasks.base');
    if (typeof mx !== 'number' || !Number.isInteger(mx) || mx < 1) return msg('settings.tasks.max');
    return { perInputToken, base: b, max: mx };
  }
  return msg('settings.tasks.maxTokensShape');
}

function parseExamples(v: unknown): FewShot[] | Message {
  if (!Array.isArray(v)) return msg('settings.tasks.examplesShape');
  const out: FewShot[] = [];
  for (const [i, e] of v.entries()) {
    if (!isRecord(e) || typeof e.user !== 'string' || typeof e.assistant !== 'string' || !e.user || !e.assistant) {
      return msg('settings.tasks.exampleItem', i);
    }
    out.push({ user: e.user, assistant: e.assistant });
  }
  return out;
}

function parseQuestion(v: unknown): TaskQuestion | Message {
  if (typeof v === 'string' && v.trim()) return { label: v.trim(), prompt: v.trim(), required: false };
  if (!isRecord(v) || typeof v.label !== 'string' || !v.label.trim()) {
    return msg('settings.tasks.questionShape');
  }
  if (v.prompt !== undefined && typeof v.prompt !== 'string') return msg('settings.tasks.questionPrompt');
  if (v.required !== undefined && typeof v.required !== 'boolean') return msg('settings.tasks.questionRequired');
  if (v.default !== undefined && typeof v.default !== 'string') return msg('settings.tasks.questionDefault');
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
  const problems: SettingProblem[] = [];
  const problem = (m: Message) => problems.push(settingProblem(SETTING, m));
  if (raw === undefined || raw === null) return { tasks, problems };
  if (!isRecord(raw)) {
    problem(msg('settings.tasks.notObject', SETTING));
    return { tasks, problems };
  }
  for (const [id, entry] of Object.entries(raw)) {
    const where = `${SETTING}.${id}`;
    if (!TASK_ID_RE.test(id)) {
      problem(msg('settings.tasks.badId', where));
      continue;
    }
    if (!isRecord(entry)) {
      problem(msg('settings.tasks.entryNotObject', where));
      continue;
    }
    const existing = tasks[id];
    const patch: Partial<TaskDef> = {};
    const bad = (field: string, why: Message) => problem(msg('settings.tasks.badField', `${where}.${field}`, why));
    for (const key of Object.keys(entry)) {
      if (!KNOWN_FIELDS.has(key)) bad(key, msg('settings.tasks.unknownField', [...KNOWN_FIELDS].join(', ')));
    }
    if ('label' in entry) {
      if (typeof entry.label === 'string' && entry.label.trim()) patch.label = entry.label.trim();
      else bad('label', msg('settings.tasks.nonEmptyString'));
    }
    if ('noun' in entry) {
      if (typeof entry.noun === 'string' && entry.noun.trim()) patch.noun = entry.noun.trim();
      else bad('noun', msg('settings.tasks.nonEmptyString'));
    }
    if ('tier' in entry) {
      if (typeof entry.tier === 'string' && (TIERS as readonly string[]).includes(entry.tier)) {
        patch.tier = entry.tier as Tier;
        patch.auto = false;
      } else if (entry.tier === 'auto') {
        // Routed by the request; the default tier (for "saved by routing") stays the task's own, or medium.
        patch.tier = existing?.tier ?? 'medium';
        patch.auto = true;
      } else bad('tier', msg('settings.tasks.tier', TIERS.join(', ')));
    }
    if ('system' in entry) {
      if (typeof entry.system === 'string' && entry.system.trim()) {
        patch.system = entry.system;
        const n = roughTokens(entry.system);
        if (n >= SYSTEM_PROMPT_TOKEN_WARNING) {
          problem(msg('settings.tasks.longSystem', `${where}.system`, n));
        }
      } else bad('system', msg('settings.tasks.nonEmptyString'));
    }
    if ('examples' in entry) {
      const ex = parseExamples(entry.examples);
      if (isMessage(ex)) bad('examples', ex);
      else patch.examples = ex;
    }
    if ('maxTokens' in entry) {
      const m = parseMaxTokens(entry.maxTokens);
      if (isMessage(m)) bad('maxTokens', m);
      else patch.maxTokens = m;
    }
    if ('temperature' in entry) {
      const t = entry.temperature;
      if (typeof t === 'number' && t >= 0 && t <= 2) patch.temperature = t;
      else bad('temperature', msg('settings.tasks.temperature'));
    }
    if ('question' in entry) {
      const q = parseQuestion(entry.question);
      if (isMessage(q)) bad('question', q);
      else patch.question = q;
    }
    if ('code' in entry) {
      if (typeof entry.code === 'boolean') patch.code = entry.code;
      else bad('code', msg('settings.tasks.boolean'));
    }

    if (existing) {
      tasks[id] = { ...existing, ...patch };
      continue;
    }
    const missing = (['system', 'tier'] as const).filter((k) => patch[k] === undefined);
    if (missing.length) {
      problem(missing.length === 2 ? msg('settings.tasks.newNeedsBoth', where, missing[0], missing[1]) : msg('settings.tasks.newNeeds', where, missing[0]));
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
