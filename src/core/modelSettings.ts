/**
 * `tierwise.models` entries, checked: a malformed entry or field is dropped with a problem that names it, so the
 * catalogue's value is used instead. Pure: no 'vscode'.
 */
import { msg, type Message } from './messages';
import { PROVIDER_IDS, type ProviderId } from './types';

const NUMBER_FIELDS = ['contextWindow', 'maxOutput', 'input', 'output', 'cachedInput', 'cacheWrite', 'batchInput', 'batchOutput'] as const;

export interface ModelSettingsResult {
  /** Entries with a known provider and an id, invalid fields removed. */
  entries: Record<string, unknown>[];
  problems: Message[];
}

export function checkModelSettings(raw: unknown, setting = 'tierwise.models'): ModelSettingsResult {
  const problems: Message[] = [];
  const entries: Record<string, unknown>[] = [];
  if (raw === undefined || raw === null) return { entries, problems };
  if (!Array.isArray(raw)) {
    problems.push(msg('settings.models.notList', setting));
    return { entries, problems };
  }
  raw.forEach((e: unknown, i) => {
    const at = `${setting}[${i}]`;
    if (!e || typeof e !== 'object' || Array.isArray(e)) {
      problems.push(msg('settings.models.notObject', at));
      return;
    }
    const m = e as Record<string, unknown>;
    if (typeof m.provider !== 'string' || !(PROVIDER_IDS as readonly string[]).includes(m.provider)) {
      problems.push(msg('settings.models.unknownProvider', at, JSON.stringify(m.provider), PROVIDER_IDS.join(', ')));
      return;
    }
    if (typeof m.id !== 'string' || !m.id.trim()) {
      problems.push(msg('settings.models.missingId', at));
      return;
    }
    const name = `${m.provider as ProviderId}/${m.id}`;
    const out: Record<string, unknown> = { ...m };
    for (const f of NUMBER_FIELDS) {
      if (m[f] === undefined) continue;
      if (typeof m[f] !== 'number' || !Number.isFinite(m[f]) || (m[f] as number) < 0) {
        problems.push(msg('settings.models.badNumber', at, name, f, JSON.stringify(m[f])));
        delete out[f];
      }
    }
    if (m.currency !== undefined && m.currency !== 'USD' && m.currency !== 'CNY') {
      problems.push(msg('settings.models.badCurrency', at, name, JSON.stringify(m.currency)));
      delete out.currency;
    }
    entries.push(out);
  });
  return { entries, problems };
}

/** The price fields of a `tierwise.models` entry and the catalogue field each replaces. */
const PRICE_FIELDS = [
  ['input', 'inputPerM'],
  ['output', 'outputPerM'],
  ['cachedInput', 'cachedInputPerM'],
  ['cacheWrite', 'cacheWritePerM'],
  ['batchInput', 'batchInputPerM'],
  ['batchOutput', 'batchOutputPerM'],
] as const;

export interface KnownPrice {
  currency: string;
  inputPerM: number;
  outputPerM: number;
  cachedInputPerM?: number;
  cacheWritePerM?: number;
  batchInputPerM?: number;
  batchOutputPerM?: number;
}

/**
 * Workspace `tierwise.models` entries may add models and raise prices, never lower the price of a model already
 * known (from the catalogue or the user's own entries): a cheaper price would loosen the confirmation threshold
 * and the budgets. A lower price is dropped (the known one stays), and a known model keeps its currency.
 */
export function noCheaperThanKnown(entries: readonly Record<string, unknown>[], known: (provider: ProviderId, id: string) => KnownPrice | undefined): { entries: Record<string, unknown>[]; loosened: Message[] } {
  const loosened: Message[] = [];
  const out = entries.map((e) => {
    const k = known(e.provider as ProviderId, e.id as string);
    if (!k) return e;
    const name = `${String(e.provider)}/${String(e.id)}`;
    const kept: Record<string, unknown> = { ...e };
    if (kept.currency !== undefined && kept.currency !== k.currency) {
      loosened.push(msg('settings.models.currencyStays', name, k.currency));
      delete kept.currency;
    }
    for (const [field, knownField] of PRICE_FIELDS) {
      const v = kept[field];
      const base = k[knownField];
      if (typeof v === 'number' && base !== undefined && v < base) {
        loosened.push(msg('settings.models.belowKnown', name, field, v, base, base));
        delete kept[field];
      }
    }
    return kept;
  });
  return { entries: out, loosened };
}
