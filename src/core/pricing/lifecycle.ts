/**
 * Model lifecycles: where a catalogued model is in its life on a given day, and what Tierwise tells the user about
 * a tier model that is deprecated or gone. Pure: the day is a parameter.
 */
import { english, msg, type Message, type MessageArg } from '../messages';
import type { ProviderId } from '../types';
import { tierName } from '../routing/tiers';
import type { Catalogue, LifecycleStatus, ModelEntry } from './catalogue';

/** Who retires a provider's models, as a user knows the platform. */
export const PLATFORM_NAMES: Readonly<Record<ProviderId, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  dashscope: 'Alibaba Cloud Model Studio',
  openaiCompatible: 'the OpenAI-compatible server',
};

/** `PLATFORM_NAMES` as a message says them, in the display language. */
const PLATFORM_ARGS: Readonly<Record<ProviderId, MessageArg>> = {
  openai: PLATFORM_NAMES.openai,
  anthropic: PLATFORM_NAMES.anthropic,
  dashscope: msg('errors.lifecycle.platformDashscope'),
  openaiCompatible: msg('errors.lifecycle.platformCompatible'),
};

export interface Lifecycle {
  status: LifecycleStatus;
  endOfLife?: string;
  successor?: string;
  source?: string;
  checked?: string;
}

/** Today as YYYY-MM-DD (UTC), the form the catalogue's dates take. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The model's lifecycle on `today` (YYYY-MM-DD): retired once its end of life has passed, whatever its status. */
export function lifecycleOf(e: ModelEntry, today: string): Lifecycle {
  let status: LifecycleStatus = e.status ?? (e.deprecated ? 'deprecated' : 'current');
  if (e.endOfLife && e.endOfLife < today) status = 'retired';
  else if (status === 'current' && e.deprecated) status = 'deprecated';
  return {
    status,
    ...(e.endOfLife ? { endOfLife: e.endOfLife } : {}),
    ...(e.successor ? { successor: e.successor } : {}),
    ...(e.lifecycleSource ?? e.source ? { source: e.lifecycleSource ?? e.source } : {}),
    ...(e.lifecycleChecked ?? e.date ? { checked: e.lifecycleChecked ?? e.date } : {}),
  };
}

/** What the user is told about a tier model that is deprecated or retired. */
export interface ModelNotice {
  level: 'deprecated' | 'retired';
  provider: ProviderId;
  model: string;
  /** One sentence: what happened, when, by whom, and what to use instead (English). */
  message: string;
  /** The same sentence as a catalogue message, for the display language. */
  text: Message;
  /** The model to switch to: the provider's named successor, else Tierwise's current model of the same tier. */
  successor?: string;
  endOfLife?: string;
  source?: string;
}

/**
 * The notice for `model` on `provider`, or undefined when it is current, legacy or not catalogued. `tierDefault`
 * names Tierwise's current model for the model's tier, offered when the provider named no successor.
 */
export function modelNotice(catalogue: Catalogue, provider: ProviderId, model: string, today: string, tierDefault?: (e: ModelEntry) => string | undefined): ModelNotice | undefined {
  const e = catalogue.get(provider, model);
  if (!e) return undefined;
  const lc = lifecycleOf(e, today);
  if (lc.status !== 'deprecated' && lc.status !== 'retired') return undefined;
  const named = lc.successor;
  const fallback = named ? undefined : tierDefault?.(e);
  const successor = named ?? (fallback && fallback.toLowerCase() !== model.toLowerCase() ? fallback : undefined);
  const platform = PLATFORM_ARGS[provider];
  const what =
    lc.status === 'retired'
      ? lc.endOfLife
        ? msg('errors.lifecycle.retiredOn', model, platform, lc.endOfLife)
        : msg('errors.lifecycle.retired', model, platform)
      : lc.endOfLife
        ? msg('errors.lifecycle.deprecatedUntil', model, platform, lc.endOfLife)
        : msg('errors.lifecycle.deprecated', model, platform);
  const text = successor ? (named ? msg('errors.lifecycle.recommends', what, platform, successor) : msg('errors.lifecycle.currentModel', what, tierName(e.tier), successor)) : what;
  return {
    level: lc.status,
    provider,
    model,
    message: english(text),
    text,
    ...(successor ? { successor } : {}),
    ...(lc.endOfLife ? { endOfLife: lc.endOfLife } : {}),
    ...(lc.source ? { source: lc.source } : {}),
  };
}

/** Edit distance, for naming the closest known models to an unknown one. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Up to `n` names of `known` closest to `model` (by edit distance, ties in list order). */
export function closestModels(model: string, known: readonly string[], n = 3): string[] {
  const m = model.toLowerCase();
  return [...new Set(known)]
    .map((k, i) => ({ k, i, d: distance(m, k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, n)
    .map((x) => x.k);
}
