/**
 * Which settings a workspace may change, and where a request (and its key) may go.
 *
 * A workspace's `.vscode/settings.json` comes with the repository: it may be hostile. From the inspected values of
 * each setting (default, user, workspace) and the endpoints the user approved for this workspace, this module
 * decides the value in effect, which workspace values were held back, and what to tell the user. Pure: no 'vscode'.
 *
 * - Destinations (`tierwise.providers.*.baseUrl`, `tierwise.providers.dashscope.region`): a workspace value is used
 *   only when the user approved its host for this provider in this workspace; otherwise the user's own value is.
 * - Routing (`tierwise.provider`, `tierwise.routing.*`, `tierwise.tiers.*`, `tierwise.fallback`): it only picks among
 *   the providers, each of which goes to its own checked destination, so a trusted workspace may set it.
 * - Spending checks (`confirmAboveUsd`, `budget.*`, `limits.*`, `currency.cnyPerUsd`): a workspace value may only
 *   make them stricter.
 * - In Restricted Mode (an untrusted workspace) every workspace value of these settings is ignored.
 */
import { DASHSCOPE_BASE_URLS, defaultBaseUrl, type DashScopeRegion } from './providers/baseUrls';
import type { ProviderId, Tier } from './types';
import { PROVIDER_IDS, PROVIDER_LABELS, TIERS } from './types';
import { msg, type Message } from './messages';
import { settingProblem, type SettingProblem } from './settingProblems';

/** What `WorkspaceConfiguration.inspect()` returns for one setting (the fields used here). */
export interface Inspected<T = unknown> {
  defaultValue?: T;
  /** User settings; in a remote window these include the remote (machine) settings. */
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** Reads one `tierwise.*` setting, by its key without the prefix (e.g. `providers.openai.baseUrl`). */
export type InspectSetting = (key: string) => Inspected | undefined;

/** An endpoint the user allowed this workspace to send a provider's requests (and key) to. */
export interface Approval {
  provider: ProviderId;
  /** `host[:port]`, as in `URL.host`. */
  host: string;
  /** The setting whose value named the host when it was approved. */
  setting: string;
  approvedAt: number;
}

export interface TrustContext {
  /** `vscode.workspace.isTrusted`: false in Restricted Mode. */
  trusted: boolean;
  /** Whether the user approved `host` for `provider` in this workspace. */
  approved: (provider: ProviderId, host: string) => boolean;
}

/** A workspace value of a destination setting that is not in effect. */
export interface WithheldDestination {
  provider: ProviderId;
  setting: string;
  value: string;
  host: string;
  reason: 'unapproved' | 'untrusted';
}

/** Where one provider's requests go. */
export interface Destination {
  provider: ProviderId;
  /** The base URL set in settings; undefined: the provider's default for the region. */
  baseUrl?: string;
  /** The URL requests go to (the base URL or the default). */
  url: string;
  host: string;
  /** Where `url` came from: the provider default, the user's settings, or an approved workspace value. */
  source: 'default' | 'user' | 'workspace';
  /** Which setting chose it (for messages). */
  setting: string;
}

export interface WorkspaceSettings {
  provider: unknown;
  routing: Record<string, unknown>;
  tiers: Record<string, Record<string, unknown>>;
  fallback: unknown;
  destinations: Record<ProviderId, Destination>;
  dashscopeRegion: DashScopeRegion;
  confirmAboveUsd: number;
  budget: { dailyUsd: number; monthlyUsd: number; workspaceMonthlyUsd: number };
  limits: Record<ProviderId, { rpm: number; tpm: number; concurrency: number }>;
  cnyPerUsd: number;
  /** Routing settings whose workspace value is in effect (said in the answer panel, for transparency). */
  workspaceRouting: string[];
  /** Workspace destination values held back (to ask about, or to say why they are not used). */
  withheld: WithheldDestination[];
  /** Workspace values ignored because they would loosen a spending check (for the log). */
  loosened: Message[];
  /** Invalid values, each naming the setting and the value used instead (report once). */
  problems: SettingProblem[];
}

const isSet = (v: unknown) => v !== undefined && v !== null;

/** The user's own value: user (and remote/machine) settings, else the default. */
export function userValue<T>(i: Inspected<T> | undefined): T | undefined {
  if (!i) return undefined;
  return isSet(i.globalValue) ? i.globalValue : i.defaultValue;
}

/** The workspace's own value (a folder's over the workspace's); undefined when none, or in Restricted Mode. */
export function workspaceValue<T>(i: Inspected<T> | undefined, trusted: boolean): T | undefined {
  if (!i || !trusted) return undefined;
  return isSet(i.workspaceFolderValue) ? i.workspaceFolderValue : isSet(i.workspaceValue) ? i.workspaceValue : undefined;
}

/** Whether the workspace sets a value at all (trusted or not). */
function workspaceSets(i: Inspected | undefined): boolean {
  return !!i && (isSet(i.workspaceFolderValue) || isSet(i.workspaceValue));
}

/** A setting that only routes among checked destinations: the workspace's value when trusted, else the user's. */
export function layered(i: Inspected | undefined, trusted: boolean): unknown {
  const w = workspaceValue(i, trusted);
  return w !== undefined ? w : userValue(i);
}

/** `URL.host` of an http(s) URL, or undefined when it is not one. */
export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : undefined;
  } catch {
    return undefined;
  }
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || name === '::1';
}

/** A URL whose traffic (and key) would cross the network unencrypted: plain http to a host that is not loopback. */
export function isPlainHttpRemote(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !isLoopbackHost(u.host);
  } catch {
    return false;
  }
}

/** The provider's own host (for DashScope, either region's): a key may always go there. */
export function isDefaultHost(provider: ProviderId, host: string): boolean {
  const defaults = provider === 'dashscope' ? Object.values(DASHSCOPE_BASE_URLS) : [defaultBaseUrl(provider)];
  return defaults.some((u) => hostOf(u) === host);
}

/**
 * Whether a key may go to `url` (kept from earlier, e.g. with a batch job) for `provider` in this window: it is where
 * this window's settings send the provider's requests, or on the provider's own host.
 */
export function mayUseStoredUrl(provider: ProviderId, url: string, current: Destination): boolean {
  if (url === current.url || url === current.baseUrl) return true;
  const host = hostOf(url);
  return !!host && isDefaultHost(provider, host);
}

/** Every setting whose workspace value Restricted Mode ignores (package.json `restrictedConfigurations`). */
export function restrictedSettings(): string[] {
  return [
    ...PROVIDER_IDS.map((p) => `tierwise.providers.${p}.baseUrl`),
    'tierwise.providers.dashscope.region',
    'tierwise.provider',
    'tierwise.routing.policy',
    'tierwise.routing.perTier',
    'tierwise.routing.localSimpleTier',
    'tierwise.routing.classifier',
    ...PROVIDER_IDS.flatMap((p) => TIERS.map((t) => `tierwise.tiers.${p}.${t}`)),
    'tierwise.fallback',
    'tierwise.models',
    'tierwise.confirmAboveUsd',
    'tierwise.budget.dailyUsd',
    'tierwise.budget.monthlyUsd',
    'tierwise.budget.workspaceMonthlyUsd',
    ...PROVIDER_IDS.flatMap((p) => ['rpm', 'tpm', 'concurrency'].map((k) => `tierwise.limits.${p}.${k}`)),
    'tierwise.currency.cnyPerUsd',
  ];
}

interface NumberRule {
  /** The value used when the setting is missing or invalid. */
  fallback: number;
  min: number;
  /** 0 means "off" (no threshold, no budget, no limit): the loosest value. */
  zeroIsOff: boolean;
  /** How the fallback reads in a message, e.g. "0 (no budget)". */
  describe?: Message;
}

const NO_BUDGET = msg('settings.number.noBudget');
const UNKNOWN_LIMIT = msg('settings.number.unknownLimit');

function validNumber(v: unknown, rule: NumberRule): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= rule.min;
}

/** Whether `w` is at least as strict as `u`, where a lower positive value is stricter and (maybe) 0 is off. */
export function atLeastAsStrict(w: number, u: number, zeroIsOff: boolean): boolean {
  if (!zeroIsOff) return w <= u;
  if (u === 0) return true;
  return w > 0 && w <= u;
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

/**
 * A spending setting: the user's valid value (else the fallback), replaced by the workspace's only when that one is
 * at least as strict.
 */
function strictNumber(setting: string, i: Inspected | undefined, trusted: boolean, rule: NumberRule, out: Pick<WorkspaceSettings, 'problems' | 'loosened'>): number {
  const fallbackText = rule.describe ?? rule.fallback;
  let user = rule.fallback;
  const u = i && isSet(i.globalValue) ? i.globalValue : undefined;
  if (u !== undefined) {
    if (validNumber(u, rule)) user = u;
    else out.problems.push(settingProblem(setting, msg('settings.number.invalid', setting, describeValue(u), rule.min, fallbackText)));
  }
  const w = workspaceValue(i, trusted);
  if (w === undefined) return user;
  if (!validNumber(w, rule)) {
    out.problems.push(settingProblem(setting, msg('settings.number.invalidWorkspace', setting, describeValue(w), rule.min, user)));
    return user;
  }
  if (atLeastAsStrict(w, user, rule.zeroIsOff)) return w;
  out.loosened.push(msg('settings.number.loosened', setting, w, user, user));
  return user;
}

function destinationFor(provider: ProviderId, baseUrl: string | undefined, source: Destination['source'], setting: string, region: DashScopeRegion): Destination {
  const url = baseUrl ?? defaultBaseUrl(provider, region);
  return { provider, ...(baseUrl ? { baseUrl } : {}), url, host: hostOf(url) ?? url, source, setting };
}

/** Resolves every setting this module governs; see the module comment for the rules. */
export function resolveWorkspaceSettings(inspect: InspectSetting, ctx: TrustContext): WorkspaceSettings {
  const problems: SettingProblem[] = [];
  const loosened: Message[] = [];
  const withheld: WithheldDestination[] = [];
  const { trusted } = ctx;
  const untrustedSets = (i: Inspected | undefined) => !trusted && workspaceSets(i);

  // --- DashScope region: a destination (it picks the endpoint, and where the data is processed).
  const regionKey = 'providers.dashscope.region';
  const regionSetting = `tierwise.${regionKey}`;
  const ri = inspect(regionKey);
  const asRegion = (v: unknown): DashScopeRegion | undefined => (v === 'china' || v === 'international' || v === 'us' ? v : undefined);
  let region: DashScopeRegion = 'china';
  const ru = ri && isSet(ri.globalValue) ? ri.globalValue : undefined;
  if (ru !== undefined) {
    if (asRegion(ru)) region = asRegion(ru)!;
    else problems.push(settingProblem(regionSetting, msg('settings.region.unknown', regionSetting, describeValue(ru))));
  } else if (asRegion(ri?.defaultValue)) region = asRegion(ri?.defaultValue)!;
  const rw = workspaceValue(ri, trusted);
  if (rw !== undefined && rw !== region) {
    const wr = asRegion(rw);
    if (!wr) problems.push(settingProblem(regionSetting, msg('settings.region.unknownWorkspace', regionSetting, describeValue(rw), region)));
    else {
      const host = hostOf(DASHSCOPE_BASE_URLS[wr])!;
      if (ctx.approved('dashscope', host)) region = wr;
      else withheld.push({ provider: 'dashscope', setting: regionSetting, value: wr, host, reason: 'unapproved' });
    }
  } else if (untrustedSets(ri)) {
    const v = asRegion(ri?.workspaceFolderValue ?? ri?.workspaceValue);
    if (v && v !== region) withheld.push({ provider: 'dashscope', setting: regionSetting, value: v, host: hostOf(DASHSCOPE_BASE_URLS[v])!, reason: 'untrusted' });
  }

  // --- Base URLs.
  const destinations = {} as Record<ProviderId, Destination>;
  for (const p of PROVIDER_IDS) {
    const key = `providers.${p}.baseUrl`;
    const setting = `tierwise.${key}`;
    const i = inspect(key);
    const clean = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
    let dest = destinationFor(p, undefined, 'default', setting, region);
    const u = clean(i?.globalValue);
    if (i && isSet(i.globalValue) && u === undefined) problems.push(settingProblem(setting, msg('settings.baseUrl.notString', setting, dest.url)));
    if (u) {
      if (hostOf(u)) dest = destinationFor(p, u, 'user', setting, region);
      else problems.push(settingProblem(setting, msg('settings.baseUrl.invalid', setting, describeValue(u), dest.url)));
    }
    const w = clean(workspaceValue(i, trusted));
    if (w && w !== dest.baseUrl) {
      const host = hostOf(w);
      if (!host) problems.push(settingProblem(setting, msg('settings.baseUrl.invalidWorkspace', setting, describeValue(w), dest.url)));
      else if (ctx.approved(p, host) || isDefaultHost(p, host)) dest = destinationFor(p, w, 'workspace', setting, region);
      else withheld.push({ provider: p, setting, value: w, host, reason: 'unapproved' });
    } else if (untrustedSets(i)) {
      const v = clean(i?.workspaceFolderValue ?? i?.workspaceValue);
      const host = v ? hostOf(v) : undefined;
      if (v && host && v !== dest.baseUrl) withheld.push({ provider: p, setting, value: v, host, reason: 'untrusted' });
    }
    destinations[p] = dest;
  }

  // --- Routing among the destinations above.
  const workspaceRouting: string[] = [];
  const route = (key: string, restricted = true) => {
    const i = inspect(key);
    const ok = restricted ? trusted : true;
    const w = workspaceValue(i, ok);
    if (w !== undefined && restricted && JSON.stringify(w) !== JSON.stringify(userValue(i))) workspaceRouting.push(`tierwise.${key}`);
    return layered(i, ok);
  };
  const routing: Record<string, unknown> = {};
  // `classifier: model` makes extra (tiny) calls on the user's key: like the other routing choices, a workspace value
  // counts only in a trusted workspace.
  for (const k of ['policy', 'perTier', 'localSimpleTier', 'longDocumentTokens', 'classifier']) {
    const v = route(`routing.${k}`, k !== 'longDocumentTokens');
    if (v !== undefined) routing[k] = v;
  }
  const tiers: Record<string, Record<string, unknown>> = {};
  for (const p of PROVIDER_IDS) {
    const row: Record<string, unknown> = {};
    for (const t of TIERS as readonly Tier[]) {
      const v = route(`tiers.${p}.${t}`);
      if (v !== undefined) row[t] = v;
    }
    if (Object.keys(row).length) tiers[p] = row;
  }
  const provider = route('provider');
  const fallback = route('fallback');

  // --- Spending checks: a workspace may only tighten them.
  const out = { problems, loosened };
  const num = (key: string, rule: NumberRule) => strictNumber(`tierwise.${key}`, inspect(key), trusted, rule, out);
  const confirmAboveUsd = num('confirmAboveUsd', { fallback: 0.5, min: 0, zeroIsOff: true });
  const budget = {
    dailyUsd: num('budget.dailyUsd', { fallback: 0, min: 0, zeroIsOff: true, describe: NO_BUDGET }),
    monthlyUsd: num('budget.monthlyUsd', { fallback: 0, min: 0, zeroIsOff: true, describe: NO_BUDGET }),
    // Set in user settings, a limit for each workspace; set in a workspace, that workspace's own, never looser.
    workspaceMonthlyUsd: num('budget.workspaceMonthlyUsd', { fallback: 0, min: 0, zeroIsOff: true, describe: NO_BUDGET }),
  };
  const limits = {} as WorkspaceSettings['limits'];
  for (const p of PROVIDER_IDS) {
    limits[p] = {
      rpm: num(`limits.${p}.rpm`, { fallback: 0, min: 0, zeroIsOff: true, describe: UNKNOWN_LIMIT }),
      tpm: num(`limits.${p}.tpm`, { fallback: 0, min: 0, zeroIsOff: true, describe: UNKNOWN_LIMIT }),
      concurrency: num(`limits.${p}.concurrency`, { fallback: 4, min: 1, zeroIsOff: false }),
    };
  }
  // A higher rate makes CNY prices look cheaper in USD, and so loosens the USD checks: lower only.
  const cnyPerUsd = num('currency.cnyPerUsd', { fallback: 7.2, min: 0.01, zeroIsOff: false });

  return {
    provider,
    routing,
    tiers,
    fallback,
    workspaceRouting,
    destinations,
    dashscopeRegion: region,
    confirmAboveUsd,
    budget,
    limits,
    cnyPerUsd,
    withheld,
    loosened,
    problems,
  };
}

/** The sentence for a withheld value, e.g. in the answer panel's notes (host: `localize`; logs: `english`). */
export function describeWithheld(w: WithheldDestination, used: Destination): Message {
  const from = used.source === 'default' ? msg('setup.withheld.fromDefault') : msg('setup.withheld.fromUser');
  const args = [w.setting, w.host, PROVIDER_LABELS[w.provider], used.host, from] as const;
  return w.reason === 'untrusted' ? msg('setup.withheld.untrusted', ...args) : msg('setup.withheld.unapproved', ...args);
}
