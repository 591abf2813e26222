import * as vscode from 'vscode';
import { Ledger as LedgerFile, budgetCheck, budgetStatus, hasBudget, makeRecord, nodeLedgerFs, remainingUsd, spend, type FinishedCall, type LedgerRecord, type LedgerRecovery, type Spend } from '../../core/pricing';
import { msg } from '../../core/messages';
import { type Log, currentWorkspace, localize } from '../util';
import type { Pricing } from './pricing';

/**
 * A finished call for the ledger; the time, session and workspace are the ledger's own (a call given its
 * `workspace`, a batch job submitted in another window, keeps it).
 */
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
    this.log.warn(`ledger: The cost ledger had ${r.damagedLines} unreadable line(s) (a crash during a write, or an edit by hand). Kept ${r.keptRecords} readable record(s).${where}`);
    void vscode.window.showWarningMessage(
      r.movedTo
        ? vscode.l10n.t('Tierwise: The cost ledger had {0} unreadable line(s) (a crash during a write, or an edit by hand). Kept {1} readable record(s). The damaged file was moved aside to {2}.', r.damagedLines, r.keptRecords, r.movedTo)
        : vscode.l10n.t('Tierwise: The cost ledger had {0} unreadable line(s) (a crash during a write, or an edit by hand). Kept {1} readable record(s). The file could not be repaired; it is read as it is.', r.damagedLines, r.keptRecords),
    );
  }

  async record(call: CallRecordInput): Promise<LedgerRecord> {
    const { gatewayCostUsd, local, ...rest } = call;
    const ws = rest.workspace === undefined ? currentWorkspace() : undefined;
    // A call that names its workspace keeps it ('' : none); the others are this window's.
    const where = rest.workspace !== undefined ? {} : ws ? { workspace: ws.id, workspaceName: ws.name } : {};
    let rec = makeRecord(this.pricing().entries, { ...rest, ...where, time: Date.now(), session: this.session }, this.cnyPerUsd());
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

  /** Spend today, this month, this session, and this workspace's today and this month. */
  spend(): Spend {
    return spend(this.records, Date.now(), this.session, undefined, currentWorkspace()?.id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export type BudgetLevel = 'none' | 'ok' | 'warn' | 'over';

type BudgetSettings = { dailyUsd: number; monthlyUsd: number; workspaceMonthlyUsd: number };

/** Daily and monthly budgets over the ledger's spend, and the monthly budget of this workspace over its own. */
export class Budget {
  constructor(
    private settings: BudgetSettings,
    private readonly spend: () => Spend,
    /** USD amounts in the display currency (`Pricing.formatUsdAll`). */
    private readonly fmt?: (usd: readonly number[]) => string[],
  ) {}

  update(settings: BudgetSettings): void {
    this.settings = settings;
  }

  state(): { level: BudgetLevel; message: string } {
    if (!hasBudget(this.settings)) return { level: 'none', message: '' };
    const s = this.spend();
    const st = budgetStatus(s.todayUsd, s.monthUsd, this.settings, this.fmt, s.workspaceMonthUsd);
    const used = Math.max(st.daily.fraction ?? 0, st.monthly.fraction ?? 0, st.workspace.fraction ?? 0);
    const message = localize(st.text ?? msg('errors.budget.used', Math.round(used * 100)));
    return { level: st.state, message };
  }

  /** Whether a call of `estimateUsd` (worst case) needs the user's yes because of a budget (see `budgetCheck`). */
  check(estimateUsd: number): ReturnType<typeof budgetCheck> {
    if (!hasBudget(this.settings)) return { kind: 'none' };
    const s = this.spend();
    return budgetCheck(s.todayUsd, s.monthUsd, estimateUsd, this.settings, s.workspaceMonthUsd);
  }

  remainingUsd(): number | undefined {
    if (!hasBudget(this.settings)) return undefined;
    const s = this.spend();
    return remainingUsd(s.todayUsd, s.monthUsd, this.settings, s.workspaceMonthUsd);
  }
}
