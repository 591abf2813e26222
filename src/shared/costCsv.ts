import type { CostPoint, CostReportData } from './protocol';

/** Quote a CSV field (RFC 4180) and defuse spreadsheet formulas in text cells. */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The cost report as one CSV table: `section,key,label,cost,currency,requests,input_tokens,output_tokens`, one row
 * per series point, then the totals and savings rows. Amounts are in the report's currency, unrounded.
 */
export function costReportToCsv(data: CostReportData): string {
  const rows: (string | number)[][] = [
    ['section', 'key', 'label', 'cost', 'currency', 'requests', 'input_tokens', 'output_tokens'],
  ];
  const add = (section: string, points: CostPoint[]) => {
    for (const p of points) {
      rows.push([section, p.key, p.label ?? p.key, p.cost, data.currency, p.requests, p.inputTokens, p.outputTokens]);
    }
  };
  add('day', data.byDay);
  add('provider', data.byProvider);
  add('model', data.byModel);
  add('tier', data.byTier);
  add('task', data.byTask);
  const t = data.totals;
  rows.push(['total', 'all', `${data.from}..${data.to}`, t.cost, data.currency, t.requests, t.inputTokens, t.outputTokens]);
  const s = data.savings;
  rows.push(['saving', 'cache', `${s.cacheTokens} cached input tokens`, s.cacheCost, data.currency, '', s.cacheTokens, '']);
  rows.push(['saving', 'batch', `${s.batchTokens} batch tokens`, s.batchCost, data.currency, '', '', '']);
  rows.push(['saving', 'tiering', `top tier would cost ${s.topTierCost}`, s.tieringCost, data.currency, '', '', '']);
  rows.push(['saving', 'local', `${s.localRequests} local requests, priced at their cloud tier`, s.localCost, data.currency, s.localRequests, '', '']);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
