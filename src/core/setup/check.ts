/**
 * Check Setup: for one provider, is the key there, does the endpoint answer (and, for DashScope, in which region),
 * which models it lists, and how long one tiny call (max_tokens 1) takes. Every problem comes with a fix the host
 * turns into a button. Pure: the network goes through the injected ports.
 */
import type { ProviderId, Tier } from '../types';
import { english, msg, type Message } from '../messages';
import { tierName } from '../routing/tiers';
import { listedShutdowns, missingTierModels } from './modelLists';

export type CheckArea = 'key' | 'endpoint' | 'region' | 'models' | 'latency' | 'prices';
export type CheckState = 'ok' | 'problem' | 'skipped' | 'info';

export interface CheckFix {
  /** The button for users (host: `localize`); absent on a fix the host words itself. */
  titleMsg?: Message;
  /** The button in English (`english(titleMsg)`), or the host's own words. */
  title: string;
  command: string;
  args?: unknown[];
}

export interface CheckItem {
  area: CheckArea;
  state: CheckState;
  /** The sentence for users (host: `localize`); absent on an item the host words itself. */
  textMsg?: Message;
  /** The sentence in English (`english(textMsg)`), or the host's own words. */
  text: string;
  fix?: CheckFix;
}

/** An item worded by a message: its English alongside. */
function item(area: CheckArea, state: CheckState, textMsg: Message, fix?: CheckFix): CheckItem {
  return { area, state, textMsg, text: english(textMsg), ...(fix ? { fix } : {}) };
}

/** A fix worded by a message. */
function fix(titleMsg: Message, command: string, args?: unknown[]): CheckFix {
  return { titleMsg, title: english(titleMsg), command, ...(args ? { args } : {}) };
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

const REGION_LABEL: Record<NonNullable<ProviderCheckInput['region']>, Message> = {
  china: msg('setup.region.china'),
  international: msg('setup.region.international'),
  us: msg('setup.region.us'),
};

export async function checkProvider(input: ProviderCheckInput, ports: ProviderCheckPorts): Promise<ProviderCheck> {
  const items: CheckItem[] = [];
  const setKey = (title: Message) => fix(title, 'tierwise.setApiKey', [input.provider]);
  const openSetting = (setting: string) => fix(msg('setup.fix.openSetting'), 'workbench.action.openSettings', [setting]);
  const baseSetting = `tierwise.providers.${input.provider}.baseUrl`;
  // Key.
  if (!input.needsKey) items.push(item('key', 'info', input.local ? msg('setup.key.notNeededLocal') : msg('setup.key.notNeeded')));
  else if (input.hasKey) items.push(item('key', 'ok', msg('setup.key.set')));
  else {
    items.push(item('key', 'problem', msg('setup.key.missing', input.label), setKey(msg('setup.fix.setKey'))));
    for (const area of ['endpoint', 'models', 'latency'] as const) items.push(item(area, 'skipped', msg('setup.skipped.noKey')));
    return { provider: input.provider, label: input.label, items, ok: false, models: [] };
  }

  // Endpoint and region, through the model listing.
  let models: string[] = [];
  let shutdown: Record<string, string> | undefined;
  let reachable = false;
  let rejected = false;
  try {
    const listed = await ports.listModels();
    models = Array.isArray(listed) ? listed : listed.ids;
    shutdown = Array.isArray(listed) ? undefined : listed.shutdown;
    reachable = true;
    items.push(item('endpoint', 'ok', msg('setup.endpoint.answers', input.baseUrl)));
  } catch (e) {
    const status = statusOf(e);
    if (status === 401 || status === 403) {
      reachable = true;
      rejected = true;
      const text = input.provider === 'dashscope' ? msg('setup.endpoint.rejectedRegion', input.baseUrl, status) : msg('setup.endpoint.rejected', input.baseUrl, status);
      items.push(item('endpoint', 'problem', text, input.needsKey ? setKey(msg('setup.fix.replaceKey')) : openSetting(baseSetting)));
    } else if (status !== undefined) {
      // It answers, but has no model listing (404 and similar): reachable.
      reachable = true;
      items.push(item('endpoint', 'ok', msg('setup.endpoint.answersNoList', input.baseUrl, status)));
    } else {
      const text = input.local ? msg('setup.endpoint.unreachableLocal', input.baseUrl, messageOf(e)) : msg('setup.endpoint.unreachable', input.baseUrl, messageOf(e));
      items.push(item('endpoint', 'problem', text, input.local ? fix(msg('setup.fix.findLocalModels'), 'tierwise.findLocalModels') : openSetting(baseSetting)));
    }
  }
  if (input.provider === 'dashscope' && input.region) {
    const other = input.region === 'international' ? 'china' : 'international';
    const text = msg('setup.region', REGION_LABEL[input.region], input.region === 'china' ? msg('setup.currency.cny') : msg('setup.currency.usd'));
    items.push(item('region', rejected ? 'problem' : 'info', text, rejected ? fix(msg('setup.fix.switchRegion', REGION_LABEL[other]), 'tierwise.setup.setDashScopeRegion', [other]) : undefined));
  }

  // Models.
  if (!reachable) {
    items.push(item('models', 'skipped', msg('setup.skipped.unreachable')));
    items.push(item('latency', 'skipped', msg('setup.skipped.unreachable')));
    return { provider: input.provider, label: input.label, items, ok: false, models };
  }
  const tiers = input.tiers ?? Object.fromEntries(input.tierModels.map((m, i) => [(['simple', 'medium', 'complex'] as const)[i] ?? 'complex', m]));
  const list = { ids: models, readAt: ports.now(), ...(shutdown ? { shutdown } : {}) };
  const absent = missingTierModels(input.provider, tiers, list, input.aliases);
  const missing = [...new Set(absent.map((m) => m.model))];
  const localFix = fix(msg('setup.fix.assignModels'), 'tierwise.findLocalModels');
  const listed = models.length === 1 ? msg('setup.models.listedOne') : msg('setup.models.listed', models.length);
  if (!models.length) items.push(item('models', 'info', msg('setup.models.none')));
  else if (absent.length) {
    for (const m of absent) {
      const args = [m.model, tierName(m.tier), m.setting, input.label, listed] as const;
      const near = m.closest.join(', ');
      const text = input.hasKey
        ? near
          ? msg('setup.models.missingForKeyClosest', ...args, near)
          : msg('setup.models.missingForKey', ...args)
        : near
          ? msg('setup.models.missingClosest', ...args, near)
          : msg('setup.models.missing', ...args);
      items.push(item('models', 'problem', text, input.provider === 'openaiCompatible' && input.local ? localFix : openSetting(m.setting)));
    }
  } else items.push(item('models', 'ok', models.length === 1 ? msg('setup.models.allListedOne') : msg('setup.models.allListed', models.length)));
  for (const d of listedShutdowns(input.provider, tiers, list, input.today ?? new Date().toISOString().slice(0, 10))) {
    const text = d.past ? msg('setup.models.wasShutDown', d.model, tierName(d.tier), d.date, input.label) : msg('setup.models.shutsDown', d.model, tierName(d.tier), d.date, input.label);
    items.push(item('models', d.past ? 'problem' : 'info', text, openSetting(`tierwise.tiers.${input.provider}.${d.tier}`)));
  }

  // Latency of one tiny call, on the first tier model the endpoint has.
  const model = input.tierModels.find((m) => !missing.includes(m)) ?? input.tierModels[0];
  let latencyMs: number | undefined;
  if (!model) items.push(item('latency', 'skipped', msg('setup.latency.noModel')));
  else {
    const t0 = ports.now();
    try {
      await ports.tinyCall(model);
      latencyMs = Math.max(0, ports.now() - t0);
      items.push(item('latency', 'ok', msg('setup.latency.ok', model, Math.round(latencyMs))));
    } catch (e) {
      items.push(item('latency', 'problem', msg('setup.latency.failed', model, messageOf(e)), fix(msg('setup.fix.showLog'), 'tierwise.showLog')));
    }
  }
  return { provider: input.provider, label: input.label, items, ok: !items.some((i) => i.state === 'problem'), models, ...(latencyMs !== undefined ? { latencyMs } : {}) };
}
