import * as vscode from 'vscode';
import type { Currency, ProviderId } from '../core/types';
import { PROVIDER_IDS } from '../core/types';
import { routingConfigFromSettings, type RoutingConfigResult } from '../core/routing';
import { resolveResilienceSettings, type ResilienceSettings, type ProviderLimitSettings } from '../core/resilience/settings';

/** Everything Tierwise reads from `tierwise.*`, validated once per change. */
export interface TierwiseConfig {
  routing: RoutingConfigResult;
  resilience: ResilienceSettings;
  providers: Record<ProviderId, { baseUrl?: string }>;
  dashscopeRegion: 'china' | 'international' | 'us';
  currency: { display: Currency; cnyPerUsd: number };
  /** Ask before sending when the estimate (at max_tokens) is above this; 0 = never. */
  confirmAboveUsd: number;
  budget: { dailyUsd: number; monthlyUsd: number };
  /** `tierwise.models`: added or replaced models and prices. */
  models: unknown[];
  lint: { systemPromptMaxTokens: number };
  promptGlobs: string[];
  /** Batch jobs: the first delay between status polls, in seconds (later ones grow). */
  batch: { pollSeconds: number };
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** `tierwise.providers.dashscope.region`: China (the default), international or US. */
function dashscopeRegionSetting(v: string | undefined): TierwiseConfig['dashscopeRegion'] {
  return v === 'international' || v === 'us' ? v : 'china';
}

/** The hidden task under which prompt files are routed. */
export const PROMPT_FILE_TASK = 'promptFile';

export function readConfig(): TierwiseConfig {
  const c = vscode.workspace.getConfiguration('tierwise');
  const routing = routingConfigFromSettings({
    provider: c.get('provider'),
    routing: c.get('routing'),
    tiers: c.get('tiers'),
    tasks: c.get('tasks'),
    fallback: c.get('fallback'),
  });
  // A prompt file brings its own system prompt, examples and max_tokens: routing only picks its model.
  routing.config.tasks[PROMPT_FILE_TASK] = {
    id: PROMPT_FILE_TASK,
    label: 'Prompt file',
    noun: 'prompt file',
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
    const l = c.get<{ rpm?: number; tpm?: number; concurrency?: number }>(`limits.${id}`);
    if (l) limits[id] = { rpm: l.rpm || undefined, tpm: l.tpm || undefined, concurrency: l.concurrency || undefined };
    const baseUrl = (c.get<string>(`providers.${id}.baseUrl`) ?? '').trim();
    providers[id] = baseUrl ? { baseUrl } : {};
  }
  const resilience = resolveResilienceSettings({
    retry: { maxRetries: c.get('retry.maxRetries'), initialDelayMs: c.get('retry.initialDelayMs') },
    timeouts: { connectMs: c.get('timeouts.connectMs'), firstTokenMs: c.get('timeouts.firstTokenMs'), idleMs: c.get('timeouts.idleMs') },
    limits,
    fallback: c.get('fallback') ?? {},
    cache: { enabled: c.get<boolean>('cache.enabled', true) },
  });
  const display = c.get<string>('currency.display') === 'CNY' ? 'CNY' : 'USD';
  return {
    routing,
    resilience,
    providers,
    dashscopeRegion: dashscopeRegionSetting(c.get<string>('providers.dashscope.region')),
    currency: { display, cnyPerUsd: Math.max(0.01, num(c.get('currency.cnyPerUsd'), 7.2)) },
    confirmAboveUsd: Math.max(0, num(c.get('confirmAboveUsd'), 0.5)),
    budget: { dailyUsd: Math.max(0, num(c.get('budget.dailyUsd'), 0)), monthlyUsd: Math.max(0, num(c.get('budget.monthlyUsd'), 0)) },
    models: c.get<unknown[]>('models') ?? [],
    lint: { systemPromptMaxTokens: Math.max(1, num(c.get('lint.systemPromptMaxTokens'), 500)) },
    promptGlobs: (c.get<unknown[]>('prompts.globs') ?? []).filter((g): g is string => typeof g === 'string'),
    batch: { pollSeconds: Math.max(1, num(c.get('batch.pollSeconds'), 30)) },
  };
}
