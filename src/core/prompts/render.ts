/** Rendering: a parsed prompt plus variable values → the parts of a ChatRequest, and what is still missing. */
import type { ChatMessage, ChatRequest, ProviderId, Tier } from '../types';
import type { PromptFile, PromptSection } from './model';
import { SELECTION_VARIABLE } from './model';
import { substitute } from './variables';

export interface RenderOptions {
  /** Values by variable name; they win over defaults. `selection` takes the editor selection. */
  values?: Record<string, string | undefined>;
  /** Fall back to prompty `sample` values (for counts); off for real runs unless asked. */
  useSamples?: boolean;
}

export interface RenderedPrompt {
  system?: string;
  /** Anthropic cache breakpoint after the system prompt (set when `cache: true`). */
  systemCacheBreakpoint?: boolean;
  /** Few-shot examples in order, then the user message (and a trailing assistant prefill, if any). */
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  provider?: ProviderId;
  model?: string;
  tier?: Tier;
  cache: boolean;
  /** Variables referenced without a value, in order of first appearance. */
  missing: string[];
  /** Each section's text after substitution, index-aligned with `PromptFile.sections`. */
  sectionTexts: string[];
}

/** The value a variable takes: explicit value, else default, else sample (when allowed). */
export function variableResolver(file: PromptFile, opts: RenderOptions = {}): (name: string) => string | undefined {
  const defs = new Map(file.variables.map((v) => [v.name, v]));
  return (name) => {
    const given = opts.values?.[name];
    if (given !== undefined) return given;
    const def = defs.get(name);
    if (def?.defaultValue !== undefined) return def.defaultValue;
    if (opts.useSamples && def?.sample !== undefined) return def.sample;
    return undefined;
  };
}

export function renderPrompt(file: PromptFile, opts: RenderOptions = {}): RenderedPrompt {
  const valueOf = variableResolver(file, opts);
  const missing: string[] = [];
  for (const ref of file.references) {
    if (valueOf(ref.name) === undefined && !missing.includes(ref.name)) missing.push(ref.name);
  }
  const sectionTexts = file.sections.map((s) => substitute(s.text, valueOf));

  const systemParts: string[] = [];
  const messages: ChatMessage[] = [];
  const userParts: string[] = [];
  const after: ChatMessage[] = [];
  let seenUser = false;
  file.sections.forEach((s: PromptSection, i) => {
    const t = sectionTexts[i];
    if (s.role === 'system') systemParts.push(t);
    else if (s.example) messages.push({ role: s.role as 'user' | 'assistant', content: t });
    else if (s.role === 'user') {
      userParts.push(t);
      seenUser = true;
    } else if (seenUser) after.push({ role: 'assistant', content: t });
    else messages.push({ role: 'assistant', content: t });
  });
  const cache = file.config.cache;
  if (cache && messages.length > 0) messages[messages.length - 1] = { ...messages[messages.length - 1], cacheBreakpoint: true };
  if (userParts.length) messages.push({ role: 'user', content: userParts.join('\n\n') });
  messages.push(...after);

  const system = systemParts.length ? systemParts.join('\n\n') : undefined;
  const out: RenderedPrompt = { messages, cache, missing, sectionTexts };
  if (system !== undefined) out.system = system;
  if (cache && system !== undefined) out.systemCacheBreakpoint = true;
  const c = file.config;
  if (c.maxTokens !== undefined) out.maxTokens = c.maxTokens;
  if (c.temperature !== undefined) out.temperature = c.temperature;
  if (c.provider !== undefined) out.provider = c.provider;
  if (c.model !== undefined) out.model = c.model;
  if (c.tier !== undefined) out.tier = c.tier;
  return out;
}

/** Every name the prompt needs a value for at run time (referenced, no default), selection included. */
export function requiredVariables(file: PromptFile): string[] {
  return renderPrompt(file).missing;
}

export function needsSelection(file: PromptFile): boolean {
  return file.references.some((r) => r.name === SELECTION_VARIABLE);
}

/** Build a full ChatRequest once the target model is known. */
export function toChatRequest(r: RenderedPrompt, target: { provider: ProviderId; model: string }, defaultMaxTokens = 1024): ChatRequest {
  const req: ChatRequest = { provider: target.provider, model: target.model, messages: r.messages, maxTokens: r.maxTokens ?? defaultMaxTokens };
  if (r.system !== undefined) req.system = r.system;
  if (r.systemCacheBreakpoint) req.systemCacheBreakpoint = true;
  if (r.temperature !== undefined) req.temperature = r.temperature;
  return req;
}
