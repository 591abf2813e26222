/** Validation of front-matter values shared by both formats. Never throws: bad values become diagnostics. */
import { PROVIDER_IDS, TIERS } from '../types';
import type { ProviderId, Tier } from '../types';
import { msg, type Message } from '../messages';
import type { FrontMatter, PromptDiagnostic, Range } from './model';
import { said } from './model';
import { findKey, readFrontMatter, type FrontMatterResult } from './frontMatter';
import { TextIndex } from './text';

const PROVIDER_ALIASES: Record<string, ProviderId> = {
  openai: 'openai',
  azure_openai: 'openai',
  azure: 'openai',
  anthropic: 'anthropic',
  claude: 'anthropic',
  dashscope: 'dashscope',
  qwen: 'dashscope',
  openaicompatible: 'openaiCompatible',
  openai_compatible: 'openaiCompatible',
  'openai-compatible': 'openaiCompatible',
  local: 'openaiCompatible',
  ollama: 'openaiCompatible',
  serverless: 'openaiCompatible',
};

export function toProvider(v: unknown): ProviderId | undefined {
  if (typeof v !== 'string') return undefined;
  if ((PROVIDER_IDS as readonly string[]).includes(v)) return v as ProviderId;
  return PROVIDER_ALIASES[v.trim().toLowerCase()];
}

/** Guess the provider from a model name (used when the file names a model but no provider). */
export function inferProvider(model: string): ProviderId | undefined {
  const m = model.toLowerCase();
  if (/^claude/.test(m)) return 'anthropic';
  if (/^(gpt|o\d|chatgpt|text-embedding|davinci|babbage)/.test(m)) return 'openai';
  if (/^(qwen|qwq|qvq)/.test(m)) return 'dashscope';
  return undefined;
}

class ConfigReader {
  constructor(
    private readonly fm: FrontMatter | undefined,
    private readonly problems: PromptDiagnostic[],
  ) {}

  private where(path: string): Range {
    const k = findKey(this.fm, path);
    if (k) return k.valueRange.start.line === k.valueRange.end.line && k.valueRange.start.character === k.valueRange.end.character ? k.keyRange : k.valueRange;
    return this.fm?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }

  private bad(path: string, message: Message): undefined {
    this.problems.push({ range: this.where(path), severity: 'error', code: 'invalid-value', ...said(message) });
    return undefined;
  }

  string(path: string, v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
    if (typeof v === 'number') return String(v);
    return this.bad(path, msg('prompts.value.notText', path));
  }

  provider(path: string, v: unknown): ProviderId | undefined {
    if (v === undefined || v === null) return undefined;
    const p = toProvider(v);
    if (!p) return this.bad(path, msg('prompts.value.unknownProvider', JSON.stringify(v), PROVIDER_IDS.join(', ')));
    return p;
  }

  tier(path: string, v: unknown): Tier | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && (TIERS as readonly string[]).includes(v.trim().toLowerCase())) return v.trim().toLowerCase() as Tier;
    return this.bad(path, msg('prompts.value.notTier', path, TIERS.join(', ')));
  }

  positiveInt(path: string, v: unknown): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
    return this.bad(path, msg('prompts.value.notPositiveInt', path));
  }

  temperature(path: string, v: unknown): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 2) return v;
    return this.bad(path, msg('prompts.value.notTemperature', path));
  }

  boolean(path: string, v: unknown): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    return this.bad(path, msg('prompts.value.notBoolean', path));
  }

  unknownKeys(data: Record<string, unknown>, known: readonly string[], what: string): void {
    for (const key of Object.keys(data)) {
      if (known.includes(key)) continue;
      const k = findKey(this.fm, key);
      this.problems.push({
        range: k?.keyRange ?? this.where(key),
        severity: 'warning',
        code: 'unknown-key',
        ...said(msg('prompts.frontMatter.unknownKey', key, what, known.join(', '))),
      });
    }
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** What both parsers start from: the text index, the front matter, its problems and a reader for its keys. */
export interface PromptPrologue {
  idx: TextIndex;
  fmr: FrontMatterResult;
  fm: FrontMatter | undefined;
  data: Record<string, unknown>;
  problems: PromptDiagnostic[];
  read: ConfigReader;
}

/** Reads the front matter of a prompt file and flags keys outside `known` (named after `format` in messages). */
export function readPrologue(text: string, known: readonly string[], format: string): PromptPrologue {
  const idx = new TextIndex(text);
  const fmr = readFrontMatter(idx);
  const problems: PromptDiagnostic[] = [...fmr.problems];
  const fm = fmr.frontMatter;
  const data = fm?.data ?? {};
  const read = new ConfigReader(fm, problems);
  read.unknownKeys(data, known, format);
  return { idx, fmr, fm, data, problems, read };
}
