import type { ProviderId } from '../types';
import type { TextEdit } from './chunks';
import type { CalibrationSource } from './calibration';
import { countPlan, finishCount, type BackendCount, type CountPlan, type TokenBackend, type TokenCount } from './client';

/** An editor document as the counter sees it: a key, a version that grows with every change, and its text now. */
export interface LiveDocument {
  readonly key: string;
  readonly version: number;
  text(): string;
}

interface Held {
  provider: ProviderId;
  model: string;
  plan: CountPlan;
  /** The version the backend holds once `pending` settles (every edit forwarded so far is queued on it). */
  version: number;
  pending: Promise<BackendCount>;
  /** The backend lost the document or an edit failed: the next count opens it again from the editor's text. */
  broken: boolean;
}

/** Documents held in the backend at once; the least recently counted one is closed past this. */
const MAX_HELD = 8;
/** Opening again after a failure is tried this often before the error is passed on (the worker is down for good). */
const MAX_REOPENS = 2;

/**
 * Live counts of whole editor documents through the backend's document path: a document is sent once, then only
 * its edits (VS Code's contentChanges), and the backend re-counts only the chunks an edit touches. A count is
 * always that of the document's text at the time it is returned, exactly what a fresh count of that text gives.
 * Anything that may have left the backend's copy behind (a failed edit, a restarted worker, a change without
 * content changes such as a line-ending switch, another model) makes the next count open the document again.
 */
export class LiveDocuments {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly backend: TokenBackend,
    private readonly maxHeld = MAX_HELD,
    /** Corrections of 'estimate-qwen' counts, as the TokenCounter applies them (its `calibration`). */
    private readonly calibration?: CalibrationSource,
  ) {}

  /** True while the backend holds `key`, i.e. its edits are worth forwarding. */
  has(key: string): boolean {
    return this.held.has(key);
  }

  /**
   * A change that took document `key` to `version`: `edits` in the order to apply, each against the text left by
   * the previous one (the order of one event's contentChanges). Ignored for documents not held.
   */
  edit(key: string, version: number, edits: readonly TextEdit[]): void {
    const h = this.held.get(key);
    if (!h || h.broken) return;
    if (edits.length === 0) {
      // The text changed without content changes (e.g. its line endings): send it whole next time.
      h.broken = true;
      return;
    }
    h.version = version;
    const list = [...edits];
    h.pending = h.pending.then((r) => (this.held.get(key) === h ? this.backend.edit(key, list) : r));
    this.watch(h);
  }

  /** The count of `doc` now, for (provider, model): opens the document in the backend when it does not hold it yet. */
  async count(doc: LiveDocument, provider: ProviderId, model: string): Promise<TokenCount> {
    let reopens = 0;
    for (;;) {
      let h = this.held.get(doc.key);
      if (!h || h.broken || h.provider !== provider || h.model !== model || h.version !== doc.version) h = this.open(doc, provider, model);
      else this.touch(doc.key, h);
      try {
        const pending = h.pending;
        const r = await pending;
        // Edits that came in meanwhile are queued on a newer promise: wait for them too.
        if (this.held.get(doc.key) === h && !h.broken && h.pending === pending && h.version === doc.version) return finishCount(h.plan, r, () => doc.text(), h.plan.method === 'estimate-qwen' ? this.calibration?.correction(model) : undefined);
      } catch (e) {
        if (++reopens > MAX_REOPENS) throw e;
        h.broken = true;
      }
    }
  }

  close(key: string): void {
    if (!this.held.delete(key)) return;
    this.backend.close(key);
  }

  dispose(): void {
    for (const key of [...this.held.keys()]) this.close(key);
  }

  private open(doc: LiveDocument, provider: ProviderId, model: string): Held {
    const plan = countPlan(provider, model);
    const h: Held = { provider, model, plan, version: doc.version, pending: this.backend.open(doc.key, plan.encoding, doc.text()), broken: false };
    this.watch(h);
    this.touch(doc.key, h);
    for (const key of this.held.keys()) {
      if (this.held.size <= this.maxHeld) break;
      this.close(key);
    }
    return h;
  }

  /** A failed open or edit marks the document for reopening (and is not an unhandled rejection). */
  private watch(h: Held): void {
    h.pending.catch(() => {
      h.broken = true;
    });
  }

  private touch(key: string, h: Held): void {
    this.held.delete(key);
    this.held.set(key, h);
  }
}
