/**
 * Calibration of the estimates for models Tierwise has no tokenizer for on DashScope (count method 'estimate-qwen':
 * the Qwen3.5 and later families, and other vendors' models served there). Each finished DashScope call gives one
 * sample: Tierwise's estimate of the request's input tokens (system prompt, messages and ChatML framing, counted as
 * the status bar counts) and the prompt tokens DashScope reported for it. From the latest samples of a model:
 *
 * - the correction factor is the token-weighted ratio Σ reported / Σ estimated (a long request weighs more than a
 *   short one, and a handful of tiny requests cannot swing it);
 * - the measured error is computed leave-one-out: each sample is predicted with the factor fitted on the other
 *   samples, and its error is |factor₋ᵢ × estimateᵢ − reportedᵢ| / reportedᵢ. That is the error a new call would
 *   see, not the (smaller) in-sample fit. `error` is the 90th percentile of these (nearest rank), `meanError` their
 *   mean (the mean absolute percentage error).
 *
 * Below MIN_SAMPLES a model is uncalibrated: the factor is 1 and no error is claimed. Memory is bounded (MAX_SAMPLES
 * per model, MAX_MODELS models); the state serialises to a plain JSON object, and a stored value that does not
 * parse is ignored (calibration starts over) rather than thrown.
 */
import type { CallOutcome } from '../resilience/pipeline';
import type { ChatRequest } from '../types';
import { countPlan, type TokenCounter } from './client';
import type { CalibrationSource, Correction } from './correction';
import { countRequestLocally } from './request';

export type { CalibrationSource, Correction } from './correction';

/** Samples kept per model (the most recent). */
export const MAX_SAMPLES = 50;
/** Fewer samples than this and a model is not calibrated. */
export const MIN_SAMPLES = 3;
/** Models kept; the one updated longest ago goes first. */
export const MAX_MODELS = 32;
/**
 * A sample whose reported/estimated ratio falls outside [1/MAX_RATIO, MAX_RATIO] is not text Tierwise counted
 * (an image, a provider-side prompt) or a misreport: it is left out.
 */
export const MAX_RATIO = 3;

/** One measured call: Tierwise's estimate of its input and the input tokens the provider reported. */
export type Sample = readonly [estimate: number, reported: number];

interface ModelSamples {
  /** When a sample was last added (ms since the epoch). */
  at: number;
  samples: Sample[];
}

/** The stored form (global state). */
export interface CalibrationJSON {
  v: 1;
  models: Record<string, { at: number; samples: [number, number][] }>;
}

/**
 * The name a model is calibrated under: lower case, without a `provider/` prefix, a `-latest` tag or a date
 * snapshot (`qwen3.7-plus-2026-01-23`, `-20260123`, `-0123` → `qwen3.7-plus`): snapshots of a model share its
 * vocabulary.
 */
export function calibrationKey(model: string): string {
  let m = model.trim().toLowerCase().replace(/^.*\//, '');
  for (;;) {
    const next = m.replace(/-(?:latest|\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/, '');
    if (next === m || next === '') return m;
    m = next;
  }
}

function validSample(e: unknown, r: unknown): boolean {
  if (typeof e !== 'number' || typeof r !== 'number' || !Number.isFinite(e) || !Number.isFinite(r) || e < 1 || r < 1) return false;
  const ratio = r / e;
  return ratio <= MAX_RATIO && ratio >= 1 / MAX_RATIO;
}

/** Nearest-rank percentile of `xs` (sorted ascending). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

/** The correction from a model's samples (see the file comment). */
export function correctionOf(samples: readonly Sample[]): Correction {
  const n = samples.length;
  if (n < MIN_SAMPLES) return { factor: 1, samples: n, calibrated: false };
  let sumE = 0;
  let sumR = 0;
  for (const [e, r] of samples) {
    sumE += e;
    sumR += r;
  }
  const errors = samples.map(([e, r]) => {
    const factor = (sumR - r) / (sumE - e);
    return Math.abs(factor * e - r) / r;
  });
  errors.sort((a, b) => a - b);
  return {
    factor: sumR / sumE,
    samples: n,
    calibrated: true,
    error: percentile(errors, 0.9),
    meanError: errors.reduce((a, b) => a + b, 0) / n,
  };
}

/** The measured calls of every model and the corrections they give. Pure: the host stores `toJSON()`. */
export class Calibration implements CalibrationSource {
  private readonly models = new Map<string, ModelSamples>();
  private readonly corrections = new Map<string, Correction>();

  /** Restores a stored value; anything that is not one (missing, an older shape, garbage) starts empty. */
  static fromJSON(value: unknown): Calibration {
    const c = new Calibration();
    if (!value || typeof value !== 'object' || (value as { v?: unknown }).v !== 1) return c;
    const models = (value as { models?: unknown }).models;
    if (!models || typeof models !== 'object' || Array.isArray(models)) return c;
    const kept: [string, ModelSamples][] = [];
    for (const [key, entry] of Object.entries(models as Record<string, unknown>)) {
      if (!entry || typeof entry !== 'object' || key.length === 0 || key.length > 200) continue;
      const { at, samples } = entry as { at?: unknown; samples?: unknown };
      if (!Array.isArray(samples)) continue;
      const good = samples.filter((s): s is [number, number] => Array.isArray(s) && s.length === 2 && validSample(s[0], s[1])).slice(-MAX_SAMPLES);
      if (good.length) kept.push([calibrationKey(key), { at: typeof at === 'number' && Number.isFinite(at) ? at : 0, samples: good.map(([e, r]) => [e, r] as const) }]);
    }
    kept.sort((a, b) => a[1].at - b[1].at);
    for (const [key, m] of kept.slice(-MAX_MODELS)) c.models.set(key, m);
    return c;
  }

  toJSON(): CalibrationJSON {
    const models: CalibrationJSON['models'] = {};
    for (const [key, m] of this.models) models[key] = { at: m.at, samples: m.samples.map(([e, r]) => [e, r]) };
    return { v: 1, models };
  }

  /** Records one call of `model`. false when the sample was left out (not positive, or its ratio is implausible). */
  add(model: string, estimate: number, reported: number, at = Date.now()): boolean {
    if (!validSample(estimate, reported)) return false;
    const key = calibrationKey(model);
    const m = this.models.get(key) ?? { at, samples: [] };
    m.at = at;
    m.samples.push([estimate, reported]);
    if (m.samples.length > MAX_SAMPLES) m.samples.splice(0, m.samples.length - MAX_SAMPLES);
    // Most recently updated last, so the first is the one to drop.
    this.models.delete(key);
    this.models.set(key, m);
    this.corrections.delete(key);
    for (const old of this.models.keys()) {
      if (this.models.size <= MAX_MODELS) break;
      this.models.delete(old);
      this.corrections.delete(old);
    }
    return true;
  }

  correction(model: string): Correction {
    const key = calibrationKey(model);
    let c = this.corrections.get(key);
    if (!c) {
      c = correctionOf(this.models.get(key)?.samples ?? []);
      this.corrections.set(key, c);
    }
    return c;
  }

  /** Models with samples, most recently updated last. */
  keys(): string[] {
    return [...this.models.keys()];
  }

  clear(): void {
    this.models.clear();
    this.corrections.clear();
  }
}

/** A sample for one finished call: the model it is kept under, Tierwise's estimate of its input and what was reported. */
export interface CallSample {
  model: string;
  estimate: number;
  reported: number;
}

/**
 * The sample a finished call gives, or undefined when it gives none: only a DashScope call that answered with
 * reported usage, to a model counted as 'estimate-qwen'. The estimate is that of the candidate request that
 * answered (a fallback's own request), counted by `counter` as the status bar counts (before any correction), with
 * the ChatML framing and DashScope's default system prompt (`countRequestLocally`).
 */
export async function callSample(counter: TokenCounter, candidates: readonly ChatRequest[], outcome: CallOutcome): Promise<CallSample | undefined> {
  const result = outcome.result;
  if (outcome.provider !== 'dashscope' || !result?.usageReported || result.usage.inputTokens <= 0) return undefined;
  const sent = candidates.find((c) => c.provider === outcome.provider && c.model === outcome.model);
  if (!sent || countPlan(sent.provider, sent.model).method !== 'estimate-qwen') return undefined;
  const count = await countRequestLocally(counter, sent);
  const estimate = count.calibration?.uncorrected ?? count.tokens;
  return { model: calibrationKey(sent.model), estimate, reported: result.usage.inputTokens };
}
