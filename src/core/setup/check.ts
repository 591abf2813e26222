/**
 * Check Setup: for one provider, is the key there, does the endpoint answer (and, for DashScope, in which region),
 * which models it lists, and how long one tiny call (max_tokens 1) takes. Every problem comes with a fix the host
 * turns into a button. Pure: the network goes through the injected ports.
 */
import type { ProviderId } from '../types';

export type CheckArea = 'key' | 'endpoint' | 'region' | 'models' | 'latency';
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
  /** A local server (loopback): free, no key. */
  local?: boolean;
}

export interface ProviderCheckPorts {
  /** The models the endpoint lists; throws with `status` on an HTTP error. */
  listModels(): Promise<string[]>;
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
  let reachable = false;
  try {
    models = await ports.listModels();
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
  const listed = new Set(models.map((m) => m.toLowerCase()));
  const missing = models.length ? input.tierModels.filter((m) => !listed.has(m.toLowerCase()) && !listed.has(`${m.toLowerCase()}:latest`)) : [];
  if (!models.length) items.push({ area: 'models', state: 'info', text: 'The endpoint lists no models.' });
  else if (missing.length) {
    items.push({
      area: 'models',
      state: 'problem',
      text: `${models.length} model${models.length === 1 ? '' : 's'} listed, but not ${missing.map((m) => `"${m}"`).join(', ')}, which a tier names.`,
      fix: input.provider === 'openaiCompatible' ? { title: 'Assign Models to Tiers', command: 'tierwise.findLocalModels' } : { title: 'Open Tier Settings', command: 'workbench.action.openSettings', args: [`tierwise.tiers.${input.provider}`] },
    });
  } else items.push({ area: 'models', state: 'ok', text: `${models.length} model${models.length === 1 ? '' : 's'} listed, including every tier's model.` });

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
