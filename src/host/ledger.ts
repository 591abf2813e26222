import * as vscode from 'vscode';
import { Ledger as LedgerFile, budgetCheck, budgetStatus, makeRecord, nodeLedgerFs, remainingUsd, spend, type FinishedCall, type LedgerRecord, type LedgerRecovery, type Spend } from '../core/pricing';
import type { Log } from './log';
import type { Pricing } from './pricing';

/** A finished call for the ledger; the time and session are the ledger's own. */
export interface CallRecordInput extends Omit<FinishedCall, 'time' | 'session' | 'usageReported'> {
  usageReported: boolean;
  /** The cost the gateway reported for this call (LiteLLM `x-litellm-response-cost`), in USD: recorded as is. */
  gatewayCostUsd?: number;
  /** The call went to a server on this machine (free unless priced in tierwise.models). */
  local?: boolean;
}

/**
 * The ledger of every finished or cancelled request, in the extension's global storage (ledger.jsonl,
 * append-only). Records are read once, kept in memory, and appended to as requests end.
 */
export class Ledger {
  readonly file: string;
  readonly session = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  private records: LedgerRecord[] = [];
  private core: LedgerFile | undefined;
  readonly loaded: Promise<void>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    storage: vscode.Uri,
    private readonly log: Log,
    private readonly pricing: () => Pricing,
    private readonly cnyPerUsd: () => number,
    private readonly onChange: () => void,
  ) {
    this.file = vscode.Uri.joinPath(storage, 'ledger.jsonl').fsPath;
    this.loaded = this.open();
  }

  private async open(): Promise<void> {
    try {
      this.core = new LedgerFile(await nodeLedgerFs(), this.file);
      const { records: earlier, recovery } = await this.core.open();
      this.records = [...earlier, ...this.records];
      // Gateway models the gateway has priced before: their labels say the ledger uses the gateway's cost.
      const reported = new Set(earlier.filter((r) => r.costSource === 'gateway').map((r) => r.model));
      if (reported.size) for (const m of reported) this.pricing().noteGatewayCost(m);
      if (recovery) this.reportRecovery(recovery);
      this.onChange();
      this.changed.fire();
    } catch (e) {
      this.log.error(`could not read the ledger at ${this.file}: ${String(e)}`);
    }
  }

  /** A damaged ledger was repaired on opening: said once, in the log and in a notification. */
  private reportRecovery(r: LedgerRecovery): void {
    const where = r.movedTo ? ` The damaged file was moved aside to ${r.movedTo}.` : ' The file could not be repaired; it is read as it is.';
    const text = `The cost ledger had ${r.damagedLines} unreadable line(s) (a crash during a write, or an edit by hand). Kept ${r.keptRecords} readable record(s).${where}`;
    this.log.warn(`ledger: ${text}`);
    void vscode.window.showWarningMessage(`Tierwise: ${text}`);
  }

  async record(call: CallRecordInput): Promise<LedgerRecord> {
    const { gatewayCostUsd, local, ...rest } = call;
    let rec = makeRecord(this.pricing().entries, { ...rest, time: Date.now(), session: this.session }, this.cnyPerUsd());
    if (gatewayCostUsd !== undefined) {
      rec = { ...rec, cost: gatewayCostUsd, currency: 'USD', costUsd: gatewayCostUsd, costSource: 'gateway' };
      this.pricing().noteGatewayCost(rec.model);
    }
    else if (local) rec = { ...rec, costSource: 'local' };
    this.records.push(rec);
    this.onChange();
    this.changed.fire();
    try {
      await this.loaded;
      await this.core?.append(rec);
    } catch (e) {
      this.log.error(`could not append to the ledger: ${String(e)}`);
    }
    return rec;
  }

  all(): readonly LedgerRecord[] {
    return this.records;
  }

  spend(): Spend {
    return spend(this.records, Date.now(), this.session);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export type BudgetLevel = 'none' | 'ok' | 'warn' | 'over';

/** Daily and monthly budgets over the ledger's spend. */
export class Budget {
  constructor(
    private settings: { dailyUsd: number; monthlyUsd: number },
    private readonly spend: () => Spend,
    /** USD amounts in the display currency (`Pricing.formatUsdAll`). */
    private readonly fmt?: (usd: readonly number[]) => string[],
  ) {}

  update(settings: { dailyUsd: number; monthlyUsd: number }): void {
    this.settings = settings;
  }

  state(): { level: BudgetLevel; message: string } {
    if (!this.settings.dailyUsd && !this.settings.monthlyUsd) return { level: 'none', message: '' };
    const s = this.spend();
    const st = budgetStatus(s.todayUsd, s.monthUsd, this.settings, this.fmt);
    const message = st.message || `Budget: ${Math.round((st.daily.fraction ?? st.monthly.fraction ?? 0) * 100)}% used.`;
    return { level: st.state, message };
  }

  /** Whether a call of `estimateUsd` (worst case) needs the user's yes because of a budget (see `budgetCheck`). */
  check(estimateUsd: number): ReturnType<typeof budgetCheck> {
    if (!this.settings.dailyUsd && !this.settings.monthlyUsd) return { kind: 'none' };
    const s = this.spend();
    return budgetCheck(s.todayUsd, s.monthUsd, estimateUsd, this.settings);
  }

  remainingUsd(): number | undefined {
    if (!this.settings.dailyUsd && !this.settings.monthlyUsd) return undefined;
    const s = this.spend();
    return remainingUsd(s.todayUsd, s.monthUsd, this.settings);
  }
}
