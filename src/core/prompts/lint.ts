/**
 * Lint rules for prompt files. Pure: a parsed file plus ports in, diagnostics (with ranges, severity, a code and
 * optional quick fixes as text edits) out. Never throws on odd input.
 */
import { msg, type Message } from '../messages';
import type { PromptDiagnostic, PromptFile, PromptSection, QuickFix, Range } from './model';
import { said, SELECTION_VARIABLE, titled } from './model';
import type { CountTokens, PromptCounts } from './counts';
import { countPrompt } from './counts';
import type { PriceFor } from './cost';
import { cacheSaving, formatMoney } from './cost';
import type { ModelTarget } from './target';
import { findKey } from './frontMatter';
import { insertExamplePairs, removeFrontMatterKey, setFrontMatterValue } from './edits';
import { TextIndex } from './text';

export const DEFAULT_SYSTEM_PROMPT_MAX_TOKENS = 500;
/** Shortest prefix the providers cache (OpenAI and Anthropic: 1,024 tokens). */
export const DEFAULT_CACHE_MIN_TOKENS = 1024;
/** max_tokens counts as "far above the need" past this factor (and at least EXCESS_MIN_GAP above). */
export const EXCESS_FACTOR = 4;
export const EXCESS_MIN_GAP = 256;

export interface LintContext {
  /** Token count for the target model (exact or approximate: the core does not care). */
  countTokens: CountTokens;
  /** The model the prompt runs on (resolved by the host from the file, its tier or the default). */
  target?: ModelTarget;
  /** Setting `tierwise.lint.systemPromptMaxTokens`; default 500. */
  systemPromptMaxTokens?: number;
  /** Context window of the target model in tokens, when known. */
  contextWindow?: number;
  priceFor?: PriceFor;
  /** Minimum cacheable prefix; default from `cacheMinTokensFor(target)`, else 1,024. */
  cacheMinTokens?: number;
  /** Values for variables when counting (defaults and samples apply otherwise). */
  values?: Record<string, string | undefined>;
}

/** Typical output need per task, in tokens. */
const TASK_NEEDS: Record<string, number> = {
  classify: 16,
  classification: 16,
  label: 16,
  labelling: 16,
  sentiment: 16,
  routing: 16,
  route: 16,
  yesno: 8,
  title: 32,
  extract: 1024,
  extraction: 1024,
  summarize: 1024,
  summarise: 1024,
  summary: 1024,
};

const CLASSIFY_WORDS = /\b(classify|classif(?:y|ies|ied|ication)|categori[sz]e|categori[sz]ation|sentiment|label (?:it|the|this|each))\b/i;
const SUMMARIZE_WORDS = /\bsummari[sz]e\b/i;
const EXTRACT_WORDS = /\bextract\b/i;
const FORMAT_WORDS = /\b(json|yaml|xml|csv|schema|table|format)\b/i;
/** Words asking for more than a label: a structured answer or a written reply. */
const LONGER_REPLY_WORDS = /\b(json|yaml|xml|csv|schema|table|answer|answers|reply|respond|explain|explanation|reason(?:s|ing)?|justify|why|paragraphs?|sentences?|describe|write|steps?)\b/i;

/**
 * Shortest prefix a model caches: 1,024 tokens for OpenAI, Qwen and most Claude models; 2,048 for Claude Haiku 3 /
 * 3.5; 4,096 for Claude Opus 4.5 / 4.6 (Anthropic prompt-caching docs).
 */
export function cacheMinTokensFor(provider: string, model: string): number {
  if (provider !== 'anthropic') return DEFAULT_CACHE_MIN_TOKENS;
  const m = model.toLowerCase();
  if (/claude-3(-5)?-haiku/.test(m)) return 2048;
  if (/claude-opus-4-[56]/.test(m)) return 4096;
  return DEFAULT_CACHE_MIN_TOKENS;
}

export function inferTask(file: PromptFile): string | undefined {
  if (file.config.task) return file.config.task.trim().toLowerCase().replace(/[\s_-]+/g, '');
  const text = file.sections.filter((s) => !s.example).map((s) => s.text).join('\n');
  if (CLASSIFY_WORDS.test(text)) return 'classify';
  if (SUMMARIZE_WORDS.test(text)) return 'summarize';
  if (EXTRACT_WORDS.test(text)) return 'extract';
  return undefined;
}

function nicePowerOfTwo(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/** The output budget a task needs, from the task (and, for short answers, the few-shot answers). */
export function outputNeed(file: PromptFile, countTokens: CountTokens): number | undefined {
  const task = inferTask(file);
  if (!task) return undefined;
  const base = TASK_NEEDS[task];
  if (base === undefined) return undefined;
  const answers = file.sections.filter((s) => s.example && s.role === 'assistant');
  if (base <= 32 && answers.length) {
    const longest = Math.max(...answers.map((s) => safeCount(countTokens, s.text)));
    return nicePowerOfTwo(Math.max(8, longest * 2));
  }
  // A label-sized cap only fits a prompt that asks for a label: one that also asks for JSON, a reply or an
  // explanation gets no suggestion (a cap of 16 would cut that answer off).
  if (base <= 32 && LONGER_REPLY_WORDS.test(instructionText(file))) return undefined;
  return base;
}

function instructionText(file: PromptFile): string {
  return file.sections
    .filter((s) => !s.example)
    .map((s) => s.text)
    .join('\n');
}

function safeCount(count: CountTokens, text: string): number {
  try {
    const n = count(text);
    return Number.isFinite(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

export function maxTokensPath(file: PromptFile): string {
  return file.format === 'prompty' ? 'model.parameters.max_tokens' : 'max_tokens';
}

function fileRange(file: PromptFile): Range {
  if (file.frontMatter) return new TextIndex(file.text).lineRange(file.frontMatter.openLine);
  return new TextIndex(file.text).lineRange(0);
}

function fix(title: Message, edits: QuickFix['edits'] | undefined, preferred = true): QuickFix[] | undefined {
  return edits ? [{ ...titled(title), edits, preferred }] : undefined;
}

export function lintPrompt(file: PromptFile, ctx: LintContext): PromptDiagnostic[] {
  const out: PromptDiagnostic[] = [...file.problems];
  const count: CountTokens = (t) => safeCount(ctx.countTokens, t);
  let counts: PromptCounts;
  try {
    counts = countPrompt(file, count, { values: ctx.values, useSamples: true });
  } catch {
    return out;
  }
  const firstSystem = file.sections.find((s) => s.role === 'system');
  const push = (d: PromptDiagnostic | undefined) => {
    if (d) out.push(d);
  };

  // System prompt length.
  const maxSystem = ctx.systemPromptMaxTokens ?? DEFAULT_SYSTEM_PROMPT_MAX_TOKENS;
  const minCache = ctx.cacheMinTokens ?? (ctx.target ? cacheMinTokensFor(ctx.target.provider, ctx.target.model) : DEFAULT_CACHE_MIN_TOKENS);
  if (firstSystem && counts.system > maxSystem) {
    // A long system prompt that is deliberately cached (a shared document) is billed at the cached price:
    // still worth knowing, but not a warning.
    const cached = file.config.cache && counts.system >= minCache;
    push({
      range: firstSystem.headerRange,
      severity: cached ? 'hint' : 'warning',
      code: 'system-too-long',
      ...said(msg(cached ? 'prompts.lint.systemTooLongCached' : 'prompts.lint.systemTooLong', counts.system, maxSystem)),
    });
  }

  // max_tokens.
  const mtPath = maxTokensPath(file);
  const mtKey = findKey(file.frontMatter, mtPath);
  const need = outputNeed(file, count);
  const mt = file.config.maxTokens;
  if (mt === undefined && !mtKey) {
    const suggested = need ?? 1024;
    push({
      range: fileRange(file),
      severity: 'warning',
      code: 'max-tokens-missing',
      ...said(msg('prompts.lint.maxTokensMissing', suggested)),
      fixes: fix(msg('prompts.fix.setMaxTokens', suggested), setFrontMatterValue(file, mtPath, String(suggested))),
    });
  } else if (mt !== undefined && need !== undefined && mt > need * EXCESS_FACTOR && mt - need >= EXCESS_MIN_GAP && mtKey) {
    push({
      range: mtKey.valueRange,
      severity: 'warning',
      code: 'max-tokens-excessive',
      ...said(msg('prompts.lint.maxTokensExcessive', mt, inferTask(file) ?? '', need)),
      fixes: fix(msg('prompts.fix.setMaxTokens', need), setFrontMatterValue(file, mtPath, String(need))),
    });
  }

  // Format-heavy instructions without few-shot examples.
  if (!file.sections.some((s) => s.example)) {
    const hit = findFormatWord(file);
    if (hit) {
      push({
        range: hit.range,
        severity: 'info',
        code: 'format-without-examples',
        ...said(msg('prompts.lint.formatWithoutExamples', hit.word)),
        fixes: fix(msg('prompts.fix.addExamples'), insertExamplePairs(file, 2), false),
      });
    }
  }

  // Context window.
  if (ctx.contextWindow !== undefined && ctx.contextWindow > 0) {
    const reserve = mt ?? 0;
    if (counts.total + reserve > ctx.contextWindow) {
      const model = ctx.target?.model;
      push({
        range: fileRange(file),
        severity: 'error',
        code: 'context-overflow',
        ...said(
          counts.total > ctx.contextWindow
            ? model !== undefined
              ? msg('prompts.lint.contextOverflowModel', counts.total, ctx.contextWindow, model)
              : msg('prompts.lint.contextOverflow', counts.total, ctx.contextWindow)
            : model !== undefined
              ? msg('prompts.lint.contextOverflowReserveModel', counts.total, reserve, ctx.contextWindow, model)
              : msg('prompts.lint.contextOverflowReserve', counts.total, reserve, ctx.contextWindow),
        ),
      });
    }
  }

  // Prompt caching.
  if (file.format === 'promptMd') {
    const cacheKey = findKey(file.frontMatter, 'cache');
    if (!file.config.cache && counts.prefix >= minCache) {
      const price = ctx.target && ctx.priceFor ? safePrice(ctx.priceFor, ctx.target) : undefined;
      const saving = price ? cacheSaving(price, counts.prefix) : undefined;
      const message =
        price && saving !== undefined
          ? msg('prompts.lint.cacheOffSaving', counts.prefix, formatMoney(saving, price.currency), formatMoney(saving * 1000, price.currency))
          : msg('prompts.lint.cacheOff', counts.prefix);
      push({
        range: cacheKey ? cacheKey.valueRange : fileRange(file),
        severity: 'info',
        code: 'cache-off',
        ...said(message),
        fixes: fix(msg('prompts.fix.setCache'), setFrontMatterValue(file, 'cache', 'true')),
      });
    } else if (file.config.cache && counts.prefix < minCache && cacheKey) {
      push({
        range: cacheKey.valueRange,
        severity: 'hint',
        code: 'cache-too-short',
        ...said(msg('prompts.lint.cacheTooShort', counts.prefix, minCache)),
      });
    }
  }

  // Variables.
  const defined = new Set(file.variables.map((v) => v.name));
  const flagged = new Set<string>();
  for (const ref of file.references) {
    if (ref.name === SELECTION_VARIABLE || defined.has(ref.name)) continue;
    const declarePath = file.format === 'prompty' ? `inputs.${ref.name}.type` : `variables.${ref.name}`;
    const declareValue = file.format === 'prompty' ? 'string' : '""';
    push({
      range: ref.range,
      severity: 'warning',
      code: 'variable-undefined',
      ...said(msg('prompts.lint.variableUndefined', ref.name, file.format === 'prompty' ? '`inputs`' : '`variables`')),
      fixes: flagged.has(ref.name) ? undefined : fix(msg('prompts.fix.defineVariable', ref.name), setFrontMatterValue(file, declarePath, declareValue)),
    });
    flagged.add(ref.name);
  }
  const used = new Set(file.references.map((r) => r.name));
  for (const def of file.variables) {
    if (used.has(def.name)) continue;
    const removePath = file.format === 'prompty' ? `inputs.${def.name}` : `variables.${def.name}`;
    push({
      range: def.range,
      severity: 'warning',
      code: 'variable-unused',
      ...said(msg('prompts.lint.variableUnused', def.name)),
      fixes: fix(msg('prompts.fix.removeVariable', def.name), removeFrontMatterKey(file, removePath), false),
    });
  }
  return out;
}

function safePrice(priceFor: PriceFor, t: ModelTarget) {
  try {
    return priceFor(t.provider, t.model);
  } catch {
    return undefined;
  }
}

function findFormatWord(file: PromptFile): { word: string; range: Range } | undefined {
  const idx = new TextIndex(file.text);
  const candidates: PromptSection[] = file.sections.filter((s) => !s.example && s.role !== 'assistant');
  for (const s of candidates) {
    const from = idx.offsetAt(s.bodyRange.start);
    const to = idx.offsetAt(s.bodyRange.end);
    const slice = file.text.slice(from, to);
    const m = FORMAT_WORDS.exec(slice);
    if (m) return { word: m[1], range: idx.range(from + m.index, from + m.index + m[0].length) };
  }
  return undefined;
}
