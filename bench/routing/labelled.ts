/**
 * The labelled routing set (labelled.jsonl, see LABELLING.md) and the router bench/routing/run.ts evaluates on it.
 * The accuracy goals do not depend on the machine, so test/unit/routing/labelledSet.test.ts asserts them too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalogue, toUsd } from '../../src/core/pricing';
import type { ModelInfo, Route, RouteInput, RoutingPorts } from '../../src/core/routing';
import { Router, defaultRoutingConfig, isRouteError, roughTokens } from '../../src/core/routing';
import type { Tier } from '../../src/core/types';
import { TIERS } from '../../src/core/types';
import { SNIPPETS } from './snippets';

export interface Item {
  id: string;
  split: 'dev' | 'test';
  tier: Tier;
  q: string;
  sel: string;
  lang: 'en' | 'zh';
}

export const catalogue = new Catalogue();
export const ports: RoutingPorts = {
  modelInfo: (p, m): ModelInfo | undefined => {
    const e = catalogue.get(p, m);
    return e && { contextWindow: e.contextWindow, maxOutput: e.maxOutput, inputPerM: e.inputPerM, outputPerM: e.outputPerM, currency: e.currency };
  },
  toUsd: (amount, currency) => toUsd(amount, currency),
  available: ['openai'],
};
export const config = defaultRoutingConfig('openai');
export const router = new Router(config, ports);

export function inputFor(q: string, sel: string): RouteInput {
  const s = SNIPPETS[sel];
  if (!s) throw new Error(`unknown snippet ${sel}`);
  return { task: 'answer', question: q, selectionText: s.text, languageId: s.languageId, inputTokens: roughTokens(`${q}\n${s.text}`) };
}

export function route(input: RouteInput): Route {
  const r = router.route(input);
  if (isRouteError(r)) throw new Error(r.message);
  return r;
}

export function labelledItems(): Item[] {
  return readFileSync(join(__dirname, 'labelled.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Item);
}

/** The confusion matrix of a set (rows: label, columns: routed, in TIERS order) and how many were right. */
export function confusion(set: readonly Item[]): { matrix: number[][]; right: number; complexToSimple: number; complex: number } {
  const matrix = TIERS.map(() => TIERS.map(() => 0));
  let right = 0;
  for (const it of set) {
    const got = route(inputFor(it.q, it.sel)).tier;
    matrix[TIERS.indexOf(it.tier)]![TIERS.indexOf(got)]!++;
    if (got === it.tier) right++;
  }
  const c = matrix[TIERS.indexOf('complex')]!;
  return { matrix, right, complexToSimple: c[0]!, complex: c.reduce((a, b) => a + b, 0) };
}

/** The goals: at least 85 % routed to their labelled tier, at most 5 % of complex requests sent to simple. */
export const GOALS = { minAccuracy: 0.85, maxComplexToSimple: 0.05 } as const;
