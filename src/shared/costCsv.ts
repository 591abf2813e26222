import type { CostPoint, CostReportData } from './protocol';

/** Quote a CSV field (RFC 4180) and defuse spreadsheet formulas in text cells. */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One call of the ledger as the CSV lists it. Amounts are in the report's currency. The workspace is its folder
 * name and its id (a hash of the folder's URI): never its path.
 */
export interface CsvCall {
  /** ISO timestamp of when the call ended. */
  time: string;
  provider: string;
  model: string;
  cost: number;
  inputTokens: number;
  outputTokens: number;
  /** Folder name, or `(no workspace)`. */
  workspace: string;
  /** The workspace id, or '' for records without one. */
  workspaceId: string;
  tier: string;
  task: string;
  /** The route's one-line reason ('' when the record has none). */
  reason: string;
  escalated: boolean;
  /** panel, promptFile, batch, setup, … ('' for records made before sources were recorded). */
  source: string;
  outcome: string;
}

/** The CSV's columns: the first eight as before, then the workspace and the routing of each call. */
export const CSV_COLUMNS = ['section', 'key', 'label', 'cost', 'currency', 'requests', 'input_tokens', 'output_tokens', 'workspace', 'workspace_id', 'tier', 'task', 'route_reason', 'escalated', 'source', 'outcome'] as const;

/**
 * The cost report as one CSV table (`CSV_COLUMNS`): one row per series point, then the totals and savings rows,
 * then one `call` row per call with its workspace, tier, task, route reason, escalation, source and outcome.
 * Amounts are in the report's currency, unrounded. A report filtered to a workspace says so on its total row.
 */
export function costReportToCsv(data: CostReportData, calls: readonly CsvCall[] = []): string {
  const rows: (string | number)[][] = [[...CSV_COLUMNS]];
  const width = CSV_COLUMNS.length;
  const push = (r: (string | number)[]) => rows.push([...r, ...Array<string>(Math.max(0, width - r.length)).fill('')]);
  const add = (section: string, points: CostPoint[]) => {
    for (const p of points) push([section, p.key, p.label ?? p.key, p.cost, data.currency, p.requests, p.inputTokens, p.outputTokens]);
  };
  add('day', data.byDay);
  add('provider', data.byProvider);
  add('model', data.byModel);
  add('tier', data.byTier);
  add('task', data.byTask);
  add('source', data.bySource);
  for (const p of data.byWorkspace) push(['workspace', p.key, p.label ?? p.key, p.cost, data.currency, p.requests, p.inputTokens, p.outputTokens, p.label ?? p.key, p.key === '(none)' ? '' : p.key]);
  const t = data.totals;
  const filter = data.workspace !== undefined ? data.workspaces.find((w) => w.key === data.workspace) : undefined;
  const scope = data.workspace !== undefined ? [filter?.label ?? data.workspace, data.workspace === '(none)' ? '' : data.workspace] : [];
  push(['total', 'all', `${data.from}..${data.to}`, t.cost, data.currency, t.requests, t.inputTokens, t.outputTokens, ...scope]);
  const s = data.savings;
  push(['saving', 'cache', `${s.cacheTokens} cached input tokens`, s.cacheCost, data.currency, '', s.cacheTokens, '']);
  push(['saving', 'batch', `${s.batchTokens} batch tokens`, s.batchCost, data.currency, '', '', '']);
  push(['saving', 'tiering', `top tier would cost ${s.topTierCost}`, s.tieringCost, data.currency, '', '', '']);
  push(['saving', 'local', `${s.localRequests} local requests, priced at their cloud tier`, s.localCost, data.currency, s.localRequests, '', '']);
  for (const c of calls) {
    push(['call', c.time, `${c.provider}/${c.model}`, c.cost, data.currency, 1, c.inputTokens, c.outputTokens, c.workspace, c.workspaceId, c.tier, c.task, c.reason, c.escalated ? 'yes' : 'no', c.source, c.outcome]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
