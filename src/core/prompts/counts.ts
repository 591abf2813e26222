/**
 * Token counts of a prompt: per section, in total, and the fixed prefix (the part of the request before the
 * first variable, which a prompt cache can reuse across calls). The tokenizer is a port, so the core does not
 * care whether counts are exact; the host may count synchronously (approximate) or asynchronously (exact, in a
 * worker) with the same plan.
 */
import type { PromptFile } from './model';
import type { RenderOptions } from './render';
import { renderPrompt } from './render';
import { variablePattern } from './variables';

export type CountTokens = (text: string) => number;

export interface CountPlan {
  /** Each section after substitution, index-aligned with `PromptFile.sections`. */
  sectionTexts: string[];
  /** Sections wholly inside the fixed prefix, in request order. */
  prefixSections: number[];
  /** Text of the section where the prefix stops, up to its first variable (empty when none). */
  prefixPartial: string;
  missing: string[];
}

export interface PromptCounts {
  /** Tokens of each section's text, index-aligned with `PromptFile.sections`. */
  sections: number[];
  /** Tokens of the system prompt (all system sections). */
  system: number;
  /** Tokens of the whole rendered input (sum of the sections). */
  total: number;
  /** Tokens of the fixed prefix: what stays the same from call to call. */
  prefix: number;
  missing: string[];
}

/** Request order: system first, then examples (and any assistant turn before the user), then the user turn. */
export function requestOrder(file: PromptFile): number[] {
  const rank = (i: number): number => {
    const s = file.sections[i];
    if (s.role === 'system') return 0;
    if (s.example) return 1;
    return 2;
  };
  return file.sections.map((_, i) => i).sort((a, b) => rank(a) - rank(b) || a - b);
}

export function planCounts(file: PromptFile, opts: RenderOptions = {}): CountPlan {
  const rendered = renderPrompt(file, opts);
  const prefixSections: number[] = [];
  let prefixPartial = '';
  for (const i of requestOrder(file)) {
    const raw = file.sections[i].text;
    const m = variablePattern().exec(raw);
    if (!m) {
      prefixSections.push(i);
      continue;
    }
    prefixPartial = raw.slice(0, m.index);
    break;
  }
  return { sectionTexts: rendered.sectionTexts, prefixSections, prefixPartial, missing: rendered.missing };
}

export function countsFrom(file: PromptFile, plan: CountPlan, sectionCounts: number[], partialCount: number): PromptCounts {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    sections: sectionCounts,
    system: sum(file.sections.map((s, i) => (s.role === 'system' ? sectionCounts[i] : 0))),
    total: sum(sectionCounts),
    prefix: sum(plan.prefixSections.map((i) => sectionCounts[i])) + partialCount,
    missing: plan.missing,
  };
}

export function countPrompt(file: PromptFile, countTokens: CountTokens, opts: RenderOptions = {}): PromptCounts {
  const plan = planCounts(file, opts);
  const sectionCounts = plan.sectionTexts.map((t) => (t ? countTokens(t) : 0));
  return countsFrom(file, plan, sectionCounts, plan.prefixPartial ? countTokens(plan.prefixPartial) : 0);
}

export async function countPromptAsync(file: PromptFile, countTokens: (text: string) => Promise<number>, opts: RenderOptions = {}): Promise<PromptCounts> {
  const plan = planCounts(file, opts);
  const [sectionCounts, partial] = await Promise.all([
    Promise.all(plan.sectionTexts.map((t) => (t ? countTokens(t) : Promise.resolve(0)))),
    plan.prefixPartial ? countTokens(plan.prefixPartial) : Promise.resolve(0),
  ]);
  return countsFrom(file, plan, sectionCounts, partial);
}
