import * as vscode from 'vscode';
import type { Currency, ProviderId } from '../core/types';
import { PROVIDER_IDS } from '../core/types';
import { routingConfigFromSettings, type RoutingConfigResult } from '../core/routing';
import { checkModelSettings } from '../core/modelSettings';
import { resolveWorkspaceSettings, workspaceValue, type Destination, type WithheldDestination } from '../core/destinations';
import { resolveResilienceSettings, type ResilienceSettings, type ProviderLimitSettings } from '../core/resilience/settings';
import type { DashScopeRegion } from '../core/providers/baseUrls';
import { displayCurrency } from '../core/pricing/currency';
import { settingProblem, type SettingProblem } from '../core/settingProblems';
import { localize } from './util';

/** Everything Tierwise reads from `tierwise.*`, validated once per change. */
export interface TierwiseConfig {
  routing: RoutingConfigResult;
  resilience: ResilienceSettings;
  providers: Record<ProviderId, { baseUrl?: string }>;
  /** Where each provider's requests go, and which setting chose it. */
  destinations: Record<ProviderId, Destination>;
  /** Routing settings (provider, tiers, fallback…) whose workspace value is in effect. */
  workspaceRouting: string[];
  /** Workspace values of destination settings not in effect (not approved, or Restricted Mode). */
  withheld: WithheldDestination[];
  /** Workspace values ignored because they would loosen a spending check (in the display language). */
  loosened: string[];
  /** Invalid settings values, each naming the setting and the value used instead (`localize` to show one). */
  problems: SettingProblem[];
  dashscopeRegion: DashScopeRegion;
  currency: { display: Currency; cnyPerUsd: number };
  /** Ask before sending when the estimate (at max_tokens) is above this; 0 = never. */
  confirmAboveUsd: number;
  budget: { dailyUsd: number; monthlyUsd: number; workspaceMonthlyUsd: number };
  /** `tierwise.models` from the user's settings: added or replaced models and prices. */
  models: unknown[];
  /** `tierwise.models` from the workspace: may add models and raise prices, never lower a known one. */
  workspaceModels: Record<string, unknown>[];
  lint: { systemPromptMaxTokens: number };
  promptGlobs: string[];
  /** Batch jobs: the first delay between status polls, in seconds (later ones grow). */
  batch: { pollSeconds: number };
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** `tierwise.providers.dashscope.region`: China (the default), international or US. */
/** The hidden task under which prompt files are routed. */
export const PROMPT_FILE_TASK = 'promptFile';

/** What decides which workspace values are used: workspace trust and the endpoints approved for this workspace. */
export interface ConfigTrust {
  trusted: boolean;
  approved: (provider: ProviderId, host: string) => boolean;
}

/** A trusted workspace with no endpoints approved. */
const NO_APPROVALS: ConfigTrust = { trusted: true, approved: () => false };

export function readConfig(trust: ConfigTrust = NO_APPROVALS): TierwiseConfig {
  const c = vscode.workspace.getConfiguration('tierwise');
  const ws = resolveWorkspaceSettings((key) => c.inspect(key), trust);
  const routing = routingConfigFromSettings({
    provider: ws.provider,
    routing: ws.routing,
    tiers: ws.tiers,
    dashscopeRegion: ws.dashscopeRegion,
    tasks: c.get('tasks'),
    fallback: ws.fallback,
  });
  // A prompt file brings its own system prompt, examples and max_tokens: routing only picks its model.
  routing.config.tasks[PROMPT_FILE_TASK] = {
    id: PROMPT_FILE_TASK,
    label: vscode.l10n.t('Prompt file'),
    noun: vscode.l10n.t('prompt file'),
    tier: 'medium',
    system: '',
    examples: [],
    maxTokens: 1024,
    code: false,
    hidden: true,
  };
  const limits: Partial<Record<ProviderId, ProviderLimitSettings>> = {};
  const providers = {} as Record<ProviderId, { baseUrl?: string }>;
  for (const id of PROVIDER_IDS) {
    const l = ws.limits[id];
    limits[id] = { rpm: l.rpm || undefined, tpm: l.tpm || undefined, concurrency: l.concurrency || undefined };
    const baseUrl = ws.destinations[id].baseUrl;
    providers[id] = baseUrl ? { baseUrl } : {};
  }
  const resilience = resolveResilienceSettings({
    retry: { maxRetries: c.get('retry.maxRetries'), initialDelayMs: c.get('retry.initialDelayMs') },
    timeouts: { connectMs: c.get('timeouts.connectMs'), firstTokenMs: c.get('timeouts.firstTokenMs'), idleMs: c.get('timeouts.idleMs') },
    limits,
    fallback: (ws.fallback as Record<string, string[]> | undefined) ?? {},
    cache: { enabled: c.get<boolean>('cache.enabled', true) },
  });
  // No default in the manifest: unless some scope sets it, the display language decides (CNY for Chinese).
  const di = c.inspect<string>('currency.display');
  const display = displayCurrency([di?.workspaceFolderValue, di?.workspaceValue, di?.globalValue].find((v) => v !== undefined), vscode.env.language);
  // The user's models, and a workspace's (priced no lower than the known models by Pricing).
  const mi = c.inspect('models');
  const models = checkModelSettings(mi?.globalValue);
  const workspaceModels = checkModelSettings(workspaceValue(mi, trust.trusted), 'tierwise.models (workspace)');
  return {
    routing,
    resilience,
    providers,
    destinations: ws.destinations,
    withheld: ws.withheld,
    workspaceRouting: ws.workspaceRouting,
    loosened: ws.loosened.map(localize),
    problems: [...routing.problems, ...ws.problems, ...[...models.problems, ...workspaceModels.problems].map((m) => settingProblem('tierwise.models', m))],
    dashscopeRegion: ws.dashscopeRegion,
    currency: { display, cnyPerUsd: ws.cnyPerUsd },
    confirmAboveUsd: ws.confirmAboveUsd,
    budget: ws.budget,
    models: models.entries,
    workspaceModels: workspaceModels.entries,
    lint: { systemPromptMaxTokens: Math.max(1, num(c.get('lint.systemPromptMaxTokens'), 500)) },
    promptGlobs: (c.get<unknown[]>('prompts.globs') ?? []).filter((g): g is string => typeof g === 'string'),
    batch: { pollSeconds: Math.max(1, num(c.get('batch.pollSeconds'), 30)) },
  };
}
