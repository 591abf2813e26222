import type { ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';

/** Limits for one provider (or one model of it). Undefined means "not configured". */
export interface RateLimits {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens per minute (input + output). */
  tpm?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /**
   * What the provider counts against its TPM limit: 'total' (input + output; a request reserves input + max_tokens)
   * or 'input' (input tokens only, as Anthropic's input-tokens limit does). Not configured: learned from the first
   * response's rate-limit headers (the tokens the provider reports used, against input alone and input + max_tokens),
   * else 'total'.
   */
  tpmBasis?: 'input' | 'total';
}

export interface ProviderLimitSettings extends RateLimits {
  /**
   * Whether the provider limits each model separately (OpenAI, Anthropic and DashScope do): then every model
   * gets its own budgets. Defaults to true for the hosted providers and false for `openaiCompatible`.
   */
  perModel?: boolean;
  /** Overrides for particular models, keyed by model id. */
  models?: Record<string, RateLimits>;
}

export interface ResilienceSettings {
  retry: {
    /** Retries after the first attempt, 0–10 (`tierwise.retry.maxRetries`, default 4). */
    maxRetries: number;
    /** First backoff delay in ms, doubled per retry (`tierwise.retry.initialDelayMs`, default 1000). */
    initialDelayMs: number;
    /** Cap for one backoff delay (default 30 s). */
    maxDelayMs: number;
    /** A server-requested wait (retry-after) longer than this is not honoured: the call fails instead (default 60 s). */
    maxServerDelayMs: number;
  };
  timeouts: {
    /** Request sent until the response headers / first stream event (`tierwise.timeouts.connectMs`). */
    connectMs: number;
    /** First event until the first text delta (`tierwise.timeouts.firstTokenMs`). */
    firstTokenMs: number;
    /** Longest gap between two stream events once text flows (`tierwise.timeouts.idleMs`). */
    idleMs: number;
  };
  /** `tierwise.limits.<provider>.rpm|tpm|concurrency`. */
  limits: Partial<Record<ProviderId, ProviderLimitSettings>>;
  /** `tierwise.fallback`: per tier, an ordered list of "provider/model". */
  fallback: Partial<Record<Tier, string[]>>;
  /** `tierwise.cache.enabled`: put prompt-cache breakpoints on the stable prefix (Anthropic). */
  cache: { enabled: boolean };
  breaker: {
    /** Consecutive failed attempts (5xx, overloaded, network, timeout) that open a provider's circuit. */
    failureThreshold: number;
    /** How long an open circuit skips the provider before one trial call is let through. */
    cooldownMs: number;
  };
}

export const DEFAULT_RESILIENCE_SETTINGS: ResilienceSettings = Object.freeze({
  retry: { maxRetries: 4, initialDelayMs: 1000, maxDelayMs: 30_000, maxServerDelayMs: 60_000 },
  timeouts: { connectMs: 30_000, firstTokenMs: 60_000, idleMs: 30_000 },
  limits: {},
  fallback: {},
  cache: { enabled: true },
  breaker: { failureThreshold: 5, cooldownMs: 30_000 },
}) as ResilienceSettings;

/** Deep partial, for settings read from configuration. */
export type ResilienceSettingsInput = {
  [K in keyof ResilienceSettings]?: ResilienceSettings[K] extends Record<string, unknown>
    ? Partial<ResilienceSettings[K]>
    : ResilienceSettings[K];
};

function num(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function positiveOrUndefined(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function cleanLimits(l: RateLimits | undefined): RateLimits {
  return {
    rpm: positiveOrUndefined(l?.rpm),
    tpm: positiveOrUndefined(l?.tpm),
    concurrency: positiveOrUndefined(l?.concurrency) !== undefined ? Math.floor(Number(l?.concurrency)) : undefined,
    tpmBasis: l?.tpmBasis === 'input' || l?.tpmBasis === 'total' ? l.tpmBasis : undefined,
  };
}

/** Fills defaults and clamps every value into its valid range (maxRetries 0–10, delays ≥ 0, …). */
export function resolveResilienceSettings(input?: ResilienceSettingsInput): ResilienceSettings {
  const d = DEFAULT_RESILIENCE_SETTINGS;
  const limits: Partial<Record<ProviderId, ProviderLimitSettings>> = {};
  for (const p of PROVIDER_IDS) {
    const l = input?.limits?.[p];
    if (!l) continue;
    const models: Record<string, RateLimits> = {};
    for (const [m, ml] of Object.entries(l.models ?? {})) models[m] = cleanLimits(ml);
    limits[p] = { ...cleanLimits(l), perModel: l.perModel, models };
  }
  const fallback: Partial<Record<Tier, string[]>> = {};
  for (const t of TIERS) {
    const list = input?.fallback?.[t];
    if (Array.isArray(list)) fallback[t] = list.filter((s): s is string => typeof s === 'string' && s.includes('/'));
  }
  return {
    retry: {
      maxRetries: Math.floor(num(input?.retry?.maxRetries, d.retry.maxRetries, 0, 10)),
      initialDelayMs: num(input?.retry?.initialDelayMs, d.retry.initialDelayMs, 0, 600_000),
      maxDelayMs: num(input?.retry?.maxDelayMs, d.retry.maxDelayMs, 0, 600_000),
      maxServerDelayMs: num(input?.retry?.maxServerDelayMs, d.retry.maxServerDelayMs, 0, 3_600_000),
    },
    timeouts: {
      connectMs: num(input?.timeouts?.connectMs, d.timeouts.connectMs, 1, 3_600_000),
      firstTokenMs: num(input?.timeouts?.firstTokenMs, d.timeouts.firstTokenMs, 1, 3_600_000),
      idleMs: num(input?.timeouts?.idleMs, d.timeouts.idleMs, 1, 3_600_000),
    },
    limits,
    fallback,
    cache: { enabled: input?.cache?.enabled ?? d.cache.enabled },
    breaker: {
      failureThreshold: Math.floor(num(input?.breaker?.failureThreshold, d.breaker.failureThreshold, 1, 1000)),
      cooldownMs: num(input?.breaker?.cooldownMs, d.breaker.cooldownMs, 0, 3_600_000),
    },
  };
}

export interface Candidate {
  provider: ProviderId;
  model: string;
}

/** Parses "provider/model" (the model may itself contain slashes, e.g. "openaiCompatible/meta/llama-3"). */
export function parseCandidate(s: string): Candidate | undefined {
  const i = s.indexOf('/');
  if (i <= 0 || i === s.length - 1) return undefined;
  const provider = s.slice(0, i).trim() as ProviderId;
  if (!PROVIDER_IDS.includes(provider)) return undefined;
  return { provider, model: s.slice(i + 1).trim() };
}

/** The configured fallback chain of a tier, as candidates (unknown providers are dropped). */
export function fallbackChain(settings: ResilienceSettings, tier: Tier): Candidate[] {
  return (settings.fallback[tier] ?? []).map(parseCandidate).filter((c): c is Candidate => c !== undefined);
}

/** The limits that apply to one provider/model, and the key of the budget they share. */
export function limitsFor(settings: ResilienceSettings, provider: ProviderId, model: string): { key: string; limits: RateLimits } {
  const p = settings.limits[provider];
  const perModel = p?.perModel ?? provider !== 'openaiCompatible';
  const m = p?.models?.[model];
  const limits: RateLimits = {
    rpm: m?.rpm ?? p?.rpm,
    tpm: m?.tpm ?? p?.tpm,
    concurrency: m?.concurrency ?? p?.concurrency,
    tpmBasis: m?.tpmBasis ?? p?.tpmBasis,
  };
  return { key: perModel ? `${provider}/${model}` : provider, limits };
}
