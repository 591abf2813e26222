import * as vscode from 'vscode';
import { KeyedDebounce } from './debounce';
import type { ModelTarget, PromptCounts, ResolvedTarget } from '../../core/prompts';
import { cacheMinTokensFor, countPromptAsync, resolveTarget } from '../../core/prompts';
import { promptFileCost, type PriceSource } from '../../core/pricing';
import { TIERS } from '../../core/types';
import type { Tier } from '../../core/types';
import type { PromptDeps, PromptTokenCount } from './deps';
import type { Correction } from '../../core/tokens/calibration';
import type { ParseCache } from './documents';

export const DEBOUNCE_MS = 300;
const MEMO_LIMIT = 4000;

export interface ModelCost {
  /** `simple`, `medium`, `complex`, or `file` for a model the file names itself. */
  label: Tier | 'file';
  target: ModelTarget;
  counts: PromptCounts;
  exact: boolean;
  /** An estimate corrected from reported usage: how (the model's calibration). */
  calibration?: Correction;
  /** Input cost of one call, in the display currency. */
  perCall?: number;
  /** Input cost of one call once the fixed prefix is cached (only when caching applies). */
  cachedPerCall?: number;
  /** Output cost if the answer uses all of max_tokens. */
  maxOutput?: number;
  /** The amounts above as shown, in the display currency, each with enough digits to differ from the others. */
  shown?: { perCall: string; per1000: string; cachedPerCall?: string; maxOutput?: string };
}

export interface PromptStats {
  version: number;
  target: ResolvedTarget;
  /** Counts for the target model. */
  counts: PromptCounts;
  exact: boolean;
  calibration?: Correction;
  costs: ModelCost[];
  maxTokens?: number;
}

/**
 * Token counts and costs of each open prompt document, recomputed off the typing path: changes are debounced,
 * counts go through the async (worker-backed) port and are memoised per text, and a result is only kept when
 * the document has not changed meanwhile.
 */
export class PromptAnalyzer implements vscode.Disposable {
  private readonly stats = new Map<string, PromptStats>();
  private readonly timers = new KeyedDebounce();
  private readonly generation = new Map<string, number>();
  /** The document version each running refresh is computing. */
  private readonly inflight = new Map<string, number>();
  private memo = new Map<string, Promise<PromptTokenCount>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidUpdate = this.emitter.event;

  constructor(
    private readonly deps: PromptDeps,
    private readonly parses: ParseCache,
  ) {}

  latest(doc: vscode.TextDocument): PromptStats | undefined {
    return this.stats.get(doc.uri.toString());
  }

  schedule(doc: vscode.TextDocument, delayMs = DEBOUNCE_MS): void {
    this.timers.schedule(doc.uri.toString(), delayMs, () => void this.refresh(doc));
  }

  /**
   * Make sure a refresh of the current version is coming, without pushing back one that is already scheduled
   * (the editor asks for lenses often; resetting the debounce on every request would starve the counts).
   */
  ensure(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.timers.has(key) || this.inflight.get(key) === doc.version) return;
    this.schedule(doc);
  }

  /** Forget cached counts (prices or models changed) and recompute the open documents. */
  invalidate(docs: readonly vscode.TextDocument[]): void {
    this.memo.clear();
    for (const d of docs) this.schedule(d, 0);
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.timers.cancel(key);
    this.stats.delete(key);
    this.generation.delete(key);
    this.inflight.delete(key);
  }

  async refresh(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    const version = doc.version;
    this.inflight.set(key, version);
    try {
      const stats = await this.compute(doc);
      if (this.generation.get(key) !== gen || doc.version !== version || doc.isClosed) return;
      this.stats.set(key, stats);
      this.emitter.fire(doc.uri);
    } catch (e) {
      this.deps.log.warn(`Prompt counts for ${doc.uri.path} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (this.generation.get(key) === gen) this.inflight.delete(key);
    }
  }

  private count(t: ModelTarget, text: string): Promise<PromptTokenCount> {
    const k = `${t.provider}\u0000${t.model}\u0000${text}`;
    let p = this.memo.get(k);
    if (!p) {
      if (this.memo.size > MEMO_LIMIT) this.memo = new Map();
      p = this.deps.countTokens(t.provider, t.model, text).catch((e: unknown) => {
        this.memo.delete(k);
        throw e;
      });
      this.memo.set(k, p);
    }
    return p;
  }

  private async countFor(file: ReturnType<ParseCache['get']>, t: ModelTarget): Promise<{ counts: PromptCounts; exact: boolean; calibration?: Correction }> {
    let exact = true;
    // One model, one calibration: every text counted for it carries the same.
    let calibration: Correction | undefined;
    const counts = await countPromptAsync(
      file,
      async (text) => {
        const r = await this.count(t, text);
        if (!r.exact) exact = false;
        calibration ??= r.calibration;
        return r.tokens;
      },
      { useSamples: true },
    );
    return { counts, exact, ...(calibration && !exact ? { calibration } : {}) };
  }

  private async compute(doc: vscode.TextDocument): Promise<PromptStats> {
    const file = this.parses.get(doc);
    const tiers = this.deps.tierModels();
    const target = resolveTarget(file.config, tiers, this.deps.defaultTarget());
    const entries: { label: Tier | 'file'; target: ModelTarget }[] = TIERS.map((tier) => ({ label: tier, target: tiers[tier] })).filter((e) => e.target);
    const sameAs = (a: ModelTarget, b: ModelTarget) => a.provider === b.provider && a.model === b.model;
    if (!entries.some((e) => sameAs(e.target, target))) entries.unshift({ label: 'file', target });
    const maxTokens = file.config.maxTokens;

    const costs = await Promise.all(
      entries.map(async ({ label, target: t }): Promise<ModelCost> => {
        const { counts, exact, calibration } = await this.countFor(file, t);
        const cost: ModelCost = { label, target: t, counts, exact, ...(calibration ? { calibration } : {}) };
        let price: PriceSource | undefined;
        try {
          price = this.deps.priceSource(t.provider, t.model);
        } catch {
          price = undefined;
        }
        if (price) {
          const cached = file.config.cache && price.cachedInputPerM !== undefined && counts.prefix >= cacheMinTokensFor(t.provider, t.model);
          const c = promptFileCost(price, counts.total, { maxTokens, cachedPrefixTokens: cached ? counts.prefix : undefined });
          const [perCall, per1000, cachedPerCall, maxOutput] = this.deps.money([c.perCall, c.perCall * 1000, c.cachedPerCall, c.maxOutput], c.currency);
          Object.assign(cost, {
            perCall: c.perCall,
            ...(c.cachedPerCall !== undefined ? { cachedPerCall: c.cachedPerCall } : {}),
            ...(c.maxOutput !== undefined ? { maxOutput: c.maxOutput } : {}),
            shown: { perCall: perCall!, per1000: per1000!, ...(cachedPerCall ? { cachedPerCall } : {}), ...(maxOutput ? { maxOutput } : {}) },
          });
        }
        return cost;
      }),
    );
    const own = costs.find((c) => sameAs(c.target, target))!;
    return { version: doc.version, target, counts: own.counts, exact: own.exact, ...(own.calibration ? { calibration: own.calibration } : {}), costs, maxTokens };
  }

  dispose(): void {
    this.timers.dispose();
    this.emitter.dispose();
  }
}
