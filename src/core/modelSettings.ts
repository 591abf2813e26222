/**
 * `tierwise.models` entries, checked: a malformed entry or field is dropped with a problem that names it, so the
 * catalogue's value is used instead. Pure: no 'vscode'.
 */
import { PROVIDER_IDS, type ProviderId } from './types';

const NUMBER_FIELDS = ['contextWindow', 'maxOutput', 'input', 'output', 'cachedInput', 'cacheWrite', 'batchInput', 'batchOutput'] as const;

export interface ModelSettingsResult {
  /** Entries with a known provider and an id, invalid fields removed. */
  entries: Record<string, unknown>[];
  problems: string[];
}

export function checkModelSettings(raw: unknown, setting = 'tierwise.models'): ModelSettingsResult {
  const problems: string[] = [];
  const entries: Record<string, unknown>[] = [];
  if (raw === undefined || raw === null) return { entries, problems };
  if (!Array.isArray(raw)) {
    problems.push(`${setting} must be a list of { "provider", "id", … } entries; ignored (catalogue prices are used).`);
    return { entries, problems };
  }
  raw.forEach((e: unknown, i) => {
    const at = `${setting}[${i}]`;
    if (!e || typeof e !== 'object' || Array.isArray(e)) {
      problems.push(`${at}: must be an object like { "provider": "openai", "id": "gpt-4o", "input": 2.5 }; entry ignored.`);
      return;
    }
    const m = e as Record<string, unknown>;
    if (typeof m.provider !== 'string' || !(PROVIDER_IDS as readonly string[]).includes(m.provider)) {
      problems.push(`${at}: unknown provider ${JSON.stringify(m.provider)} (one of ${PROVIDER_IDS.join(', ')}); entry ignored.`);
      return;
    }
    if (typeof m.id !== 'string' || !m.id.trim()) {
      problems.push(`${at}: "id" (the model name) is missing; entry ignored.`);
      return;
    }
    const name = `${m.provider as ProviderId}/${m.id}`;
    const out: Record<string, unknown> = { ...m };
    for (const f of NUMBER_FIELDS) {
      if (m[f] === undefined) continue;
      if (typeof m[f] !== 'number' || !Number.isFinite(m[f]) || (m[f] as number) < 0) {
        problems.push(`${at} (${name}): "${f}" must be a number ≥ 0, not ${JSON.stringify(m[f])}; the catalogue value is used.`);
        delete out[f];
      }
    }
    if (m.currency !== undefined && m.currency !== 'USD' && m.currency !== 'CNY') {
      problems.push(`${at} (${name}): "currency" must be USD or CNY, not ${JSON.stringify(m.currency)}; the provider's currency is used.`);
      delete out.currency;
    }
    entries.push(out);
  });
  return { entries, problems };
}
