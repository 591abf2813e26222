/**
 * Check Setup: for one provider, is the key there, does the endpoint answer (and, for DashScope, in which region),
 * which models it lists, and how long one tiny call (max_tokens 1) takes. Every problem comes with a fix the host
 * turns into a button. Pure: the network goes through the injected ports.
 */
import type { ProviderId, Tier } from '../types';
import { listedShutdowns, missingTierModels } from './modelLists';

export type CheckArea = 'key' | 'endpoint' | 'region' | 'models' | 'latency' | 'prices';
export type CheckState = 'ok' | 'problem' | 'skipped' | 'info';

export interface CheckFix {
  title: string;
  command: string;
  args?: unknown[];
}

export interface CheckItem {
  area: CheckArea;
  state: CheckState;
  text: string;
  fix?: CheckFix;
}

export interface ProviderCheckInput {
  provider: ProviderId;
  label: string;
  needsKey: boolean;
  hasKey: boolean;
  baseUrl: string;
  /** DashScope: the region setting. */
  region?: 'china' | 'international' | 'us';
  /** The models the tiers name on this provider. */
  tierModels: readonly string[];
  /** Which tier names which model: a missing one is then named with its tier and setting. */
  tiers?: Partial<Record<Tier, string>>;
  /** The catalogue's other names of a model (they count as listed). */
  aliases?: (model: string) => readonly string[];
  /** Today (YYYY-MM-DD), for a shutdown date in the list. */
  today?: string;
  /** A local server (loopback): free, no key. */
  local?: boolean;
}

export interface ProviderCheckPorts {
  /** The models the endpoint lists (OpenAI: with `shutdown_date`s); throws with `status` on an HTTP error. */
  listModels(): Promise<string[] | { ids: string[]; shutdown?: Record<string, string> }>;
  /** One call of max_tokens 1 on `model`; resolves when it finished. */
  tinyCall(model: string): Promise<void>;
  now(): number;
}

export interface ProviderCheck {
  provider: ProviderId;
  label: string;
  items: CheckItem[];
  /** true when nothing is a problem. */
  ok: boolean;
  models: string[];
  latencyMs?: number;
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown })?.status;
  if (typeof s === 'number') return s;
  const m = /HTTP (\d{3})/.exec(e instanceof Error ? e.message : String(e));
  return m ? Number(m[1]) : undefined;
}

function messageOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${e.message.replace(/[.\s]+$/, '')}: ${code}` : e.message;
}

const REGION_LABEL = { china: 'China (Beijing)', international: 'International (Singapore)', us: 'US (Virginia)' } as const;

export async function checkProvider(input: ProviderCheckInput, ports: ProviderCheckPorts): Promise<ProviderCheck> {
  const items: CheckItem[] = [];
  const setKey: CheckFix = { title: 'Set API Key', command: 'tierwise.setApiKey', args: [input.provider] };
  const baseSetting = `tierwise.providers.${input.provider}.baseUrl`;
  // Key.
  if (!input.needsKey) items.push({ area: 'key', state: 'info', text: input.local ? 'No key needed (a server on this machine).' : 'No key needed by this endpoint.' });
  else if (input.hasKey) items.push({ area: 'key', state: 'ok', text: 'API key set (in VS Code secret storage).' });
  else {
    items.push({ area: 'key', state: 'problem', text: `No API key is set for ${input.label}.`, fix: setKey });
    for (const area of ['endpoint', 'models', 'latency'] as const) items.push({ area, state: 'skipped', text: 'Not checked without a key.' });
    return { provider: input.provider, label: input.label, items, ok: false, models: [] };
  }

  // Endpoint and region, through the model listing.
  let models: string[] = [];
  let shutdown: Record<string, string> | undefined;
  let reachable = false;
  try {
    const listed = await ports.listModels();
    models = Array.isArray(listed) ? listed : listed.ids;
    shutdown = Array.isArray(listed) ? undefined : listed.shutdown;
    reachable = true;
    items.push({ area: 'endpoint', state: 'ok', text: `${input.baseUrl} answers.` });
  } catch (e) {
    const status = statusOf(e);
    if (status === 401 || status === 403) {
      reachable = true;
      const text =
        input.provider === 'dashscope'
          ? `${input.baseUrl} rejected the key (HTTP ${status}). DashScope keys work only in their own region: this one may belong to the other region.`
          : `${input.baseUrl} rejected the key (HTTP ${status}).`;
      items.push({ area: 'endpoint', state: 'problem', text, fix: input.needsKey ? { ...setKey, title: 'Replace API Key' } : { title: 'Open Setting', command: 'workbench.action.openSettings', args: [baseSetting] } });
    } else if (status !== undefined) {
      // It answers, but has no model listing (404 and similar): reachable.
      reachable = true;
      items.push({ area: 'endpoint', state: 'ok', text: `${input.baseUrl} answers (no model list: HTTP ${status}).` });
    } else {
      items.push({
        area: 'endpoint',
        state: 'problem',
        text: `${input.baseUrl} cannot be reached (${messageOf(e)}).${input.local ? ' Is the local server running?' : ''}`,
        fix: input.local ? { title: 'Find Local Models', command: 'tierwise.findLocalModels' } : { title: 'Open Setting', command: 'workbench.action.openSettings', args: [baseSetting] },
      });
    }
  }
  if (input.provider === 'dashscope' && input.region) {
    const other = input.region === 'international' ? 'china' : 'international';
    const rejected = items.some((i) => i.area === 'endpoint' && i.state === 'problem' && /rejected the key/.test(i.text));
    items.push({
      area: 'region',
      state: rejected ? 'problem' : 'info',
      text: `Region: ${REGION_LABEL[input.region]}; prices in ${input.region === 'china' ? 'CNY' : 'USD'}.`,
      ...(rejected ? { fix: { title: `Switch to ${REGION_LABEL[other]}`, command: 'tierwise.setup.setDashScopeRegion', args: [other] } } : {}),
    });
  }

  // Models.
  if (!reachable) {
    items.push({ area: 'models', state: 'skipped', text: 'Not checked: the endpoint did not answer.' });
    items.push({ area: 'latency', state: 'skipped', text: 'Not checked: the endpoint did not answer.' });
    return { provider: input.provider, label: input.label, items, ok: false, models };
  }
  const tiers = input.tiers ?? Object.fromEntries(input.tierModels.map((m, i) => [(['simple', 'medium', 'complex'] as const)[i] ?? 'complex', m]));
  const list = { ids: models, readAt: ports.now(), ...(shutdown ? { shutdown } : {}) };
  const absent = missingTierModels(input.provider, tiers, list, input.aliases);
  const missing = [...new Set(absent.map((m) => m.model))];
  const localFix: CheckFix = { title: 'Assign Models to Tiers', command: 'tierwise.findLocalModels' };
  if (!models.length) items.push({ area: 'models', state: 'info', text: 'The endpoint lists no models.' });
  else if (absent.length) {
    for (const m of absent) {
      const near = m.closest.length ? ` Closest listed: ${m.closest.join(', ')}.` : '';
      items.push({
        area: 'models',
        state: 'problem',
        text: `"${m.model}" (${m.tier} tier, ${m.setting}) is not in ${input.label}'s model list${input.hasKey ? ' for this key' : ''} (${models.length} model${models.length === 1 ? '' : 's'} listed).${near}`,
        fix: input.provider === 'openaiCompatible' && input.local ? localFix : { title: 'Open Setting', command: 'workbench.action.openSettings', args: [m.setting] },
      });
    }
  } else items.push({ area: 'models', state: 'ok', text: `${models.length} model${models.length === 1 ? '' : 's'} listed, including every tier's model.` });
  for (const d of listedShutdowns(input.provider, tiers, list, input.today ?? new Date().toISOString().slice(0, 10))) {
    items.push({
      area: 'models',
      state: d.past ? 'problem' : 'info',
      text: d.past
        ? `"${d.model}" (${d.tier} tier) was shut down on ${d.date}, says ${input.label}'s model list.`
        : `"${d.model}" (${d.tier} tier) shuts down on ${d.date}, says ${input.label}'s model list.`,
      fix: { title: 'Open Setting', command: 'workbench.action.openSettings', args: [`tierwise.tiers.${input.provider}.${d.tier}`] },
    });
  }

  // Latency of one tiny call, on the first tier model the endpoint has.
  const model = input.tierModels.find((m) => !missing.includes(m)) ?? input.tierModels[0];
  let latencyMs: number | undefined;
  if (!model) items.push({ area: 'latency', state: 'skipped', text: 'No tier model to call.' });
  else {
    const t0 = ports.now();
    try {
      await ports.tinyCall(model);
      latencyMs = Math.max(0, ports.now() - t0);
      items.push({ area: 'latency', state: 'ok', text: `One call of max_tokens 1 on ${model}: ${Math.round(latencyMs)} ms.` });
    } catch (e) {
      items.push({ area: 'latency', state: 'problem', text: `A call of max_tokens 1 on ${model} failed: ${messageOf(e)}`, fix: { title: 'Show Log', command: 'tierwise.showLog' } });
    }
  }
  return { provider: input.provider, label: input.label, items, ok: !items.some((i) => i.state === 'problem'), models, ...(latencyMs !== undefined ? { latencyMs } : {}) };
}
