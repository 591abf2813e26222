/**
 * What the user taught the router: each time they escalate an auto-routed answer or choose another tier for it,
 * the request's features (numbers only, never its text) and the tier they wanted. A later request that looks alike
 * (nearest neighbours over the feature vectors, within a distance threshold) goes to the tier the user chose.
 * Pure: the host keeps the examples in its global state; nothing leaves the machine.
 */
import type { Tier } from '../types';
import { TIERS } from '../types';
import type { ComplexityFeatures } from './complexity';
import { featureVector, isComplexityFeatures } from './complexity';

export interface LearnedExample {
  features: ComplexityFeatures;
  /** The tier the user wanted. */
  tier: Tier;
  /** What the router had chosen. */
  from: Tier;
  /** ms since the epoch. */
  time: number;
}

export interface LearnedMatch {
  tier: Tier;
  /** How many stored examples within the threshold voted for `tier`. */
  votes: number;
  distance: number;
}

/** Most examples kept; the oldest are dropped first. */
export const MAX_LEARNED = 500;
/** Largest distance at which a past request still counts as alike. */
export const LEARNED_DISTANCE = 0.12;
const K = 5;

function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    s += d * d;
  }
  return Math.sqrt(s);
}

export class LearnedRouting {
  private examples: LearnedExample[];
  private vectors: number[][];

  constructor(examples: readonly LearnedExample[] = []) {
    this.examples = examples.slice(-MAX_LEARNED);
    this.vectors = this.examples.map((e) => featureVector(e.features));
  }

  /** Reads stored examples, dropping anything malformed. */
  static fromJSON(raw: unknown): LearnedRouting {
    if (!Array.isArray(raw)) return new LearnedRouting();
    const ok = raw.filter(
      (e): e is LearnedExample =>
        typeof e === 'object' &&
        e !== null &&
        isComplexityFeatures((e as LearnedExample).features) &&
        (TIERS as readonly unknown[]).includes((e as LearnedExample).tier) &&
        (TIERS as readonly unknown[]).includes((e as LearnedExample).from) &&
        typeof (e as LearnedExample).time === 'number',
    );
    return new LearnedRouting(ok);
  }

  toJSON(): LearnedExample[] {
    return this.examples.map((e) => ({ ...e }));
  }

  get size(): number {
    return this.examples.length;
  }

  add(features: ComplexityFeatures, tier: Tier, from: Tier, time: number): void {
    // Only the numbers: a copy, so nothing else rides along.
    const f: ComplexityFeatures = {
      intent: features.intent,
      tierHits: [features.tierHits[0], features.tierHits[1], features.tierHits[2]],
      steps: features.steps,
      selectionTokens: features.selectionTokens,
      requestTokens: features.requestTokens,
      kind: features.kind,
      cjk: features.cjk,
      length: features.length,
      expectedTokens: features.expectedTokens,
    };
    this.examples.push({ features: f, tier, from, time });
    this.vectors.push(featureVector(f));
    if (this.examples.length > MAX_LEARNED) {
      this.examples.shift();
      this.vectors.shift();
    }
  }

  clear(): void {
    this.examples = [];
    this.vectors = [];
  }

  /**
   * The tier past choices give a request, or undefined when no stored example is alike. Only examples with the
   * same main intent count; among the nearest K within the threshold, the tier with most votes wins (later
   * examples break ties, so a user who changes their mind is followed).
   */
  match(features: ComplexityFeatures): LearnedMatch | undefined {
    if (!this.examples.length) return undefined;
    const v = featureVector(features);
    const near: { i: number; d: number }[] = [];
    for (let i = 0; i < this.examples.length; i++) {
      if (this.examples[i]!.features.intent !== features.intent) continue;
      const d = distance(v, this.vectors[i]!);
      if (d <= LEARNED_DISTANCE) near.push({ i, d });
    }
    if (!near.length) return undefined;
    near.sort((a, b) => a.d - b.d || b.i - a.i);
    const top = near.slice(0, K);
    const votes = new Map<Tier, { n: number; latest: number; d: number }>();
    for (const { i, d } of top) {
      const t = this.examples[i]!.tier;
      const cur = votes.get(t) ?? { n: 0, latest: -1, d: Infinity };
      votes.set(t, { n: cur.n + 1, latest: Math.max(cur.latest, i), d: Math.min(cur.d, d) });
    }
    let best: [Tier, { n: number; latest: number; d: number }] | undefined;
    for (const e of votes) {
      if (!best || e[1].n > best[1].n || (e[1].n === best[1].n && e[1].latest > best[1].latest)) best = e;
    }
    return { tier: best![0], votes: best![1].n, distance: best![1].d };
  }
}
