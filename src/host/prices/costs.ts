import * as vscode from 'vscode';
import { type GroupKey, type LedgerRecord, NO_WORKSPACE, NO_WORKSPACE_LABEL, compareTable, convert, formatMoney, groupBy, inWorkspace, moneyFormatter, topTierComparison, wasEscalated, workspaceKey, workspaceLabels } from '../../core/pricing';
import type { CostPoint, CostReportData } from '../../shared/protocol';
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId, type Tier } from '../../core/types';
import { isRouteError, routingSavings, taskLabel, tierName } from '../../core/routing';
import { msg } from '../../core/messages';
import { CostReportPanel, escapeHtml as esc, buildPage, StaticPanel, staticPageOptions } from '../panels';
import type { CostPorts } from './ports';
import type { CsvCall } from '../../shared/costCsv';
import { currentWorkspace, localize } from '../util';
import { dashscopeBatchSupports } from '../../core/batch/dashscope';
import { defaultBaseUrl } from '../../core/providers/baseUrls';
import { serverTokenCount } from '../../core/setup/local';
import type { Correction } from '../../core/tokens/calibration';
import { calibrationNote } from '../tokens';
import { formatInteger } from '../../shared/format';

const COMPARE_VIEW = 'tierwise.compare';

/** Where a ledger record's call came from, as the cost report names it (other sources keep their own name). */
const SOURCE_LABELS: Record<string, () => string> = {
  panel: () => vscode.l10n.t('Answer panel'),
  chat: () => vscode.l10n.t('VS Code chat'),
  promptFile: () => vscode.l10n.t('Prompt files'),
  batch: () => vscode.l10n.t('Batch'),
  setup: () => vscode.l10n.t('Check Setup'),
  '(none)': () => vscode.l10n.t('(not recorded)'),
};
const sourceLabel = (source: string): string => SOURCE_LABELS[source]?.() ?? source;
/** A tier as Compare Costs names it, in the display language. */
const tierWord = (tier: Tier): string => localize(tierName(tier));

/** "Show Cost Report" and "Compare Costs for Selection". */
export function registerCostCommands(s: CostPorts): vscode.Disposable[] {
  const report = CostReportPanel.register(s.context, (workspace) => costReportData(s, workspace), (m) => s.log.warn(m), (workspace) => costReportCalls(s, workspace));
  const compare = new StaticPanel(s.context.extensionUri, {
    viewType: COMPARE_VIEW,
    title: vscode.l10n.t('Tierwise: Compare Costs'),
    column: vscode.ViewColumn.Active,
    preserveFocus: false,
    options: staticPageOptions,
    restorable: false,
  });
  return [
    report,
    compare,
    vscode.commands.registerCommand('tierwise.showCostReport', () => report.show()),
    vscode.commands.registerCommand('tierwise.compareCosts', async () => {
      const editor = s.editors.current();
      if (!editor) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: open a file and select some text to compare costs.'));
        return;
      }
      const doc = editor.document;
      const text = editor.selection.isEmpty ? doc.getText() : doc.getText(editor.selection);
      if (!text.trim()) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: the selection and the document are empty.'));
        return;
      }
      const html = await compareHtml(s, text, editor.selection.isEmpty ? vscode.l10n.t('the whole document') : vscode.l10n.t('the selection'), doc.languageId);
      compare.show(html);
    }),
  ];
}

/** The same request priced on every tier of every configured provider, in the display currency. */
async function compareHtml(s: CostPorts, text: string, scope: string, languageId: string): Promise<string> {
  const cfg = s.config();
  const pricing = s.pricing();
  const router = s.router();
  const task = router.tasks().find((t) => t.id === s.currentTask()) ?? router.tasks()[0]!;
  // One count per tokenizer family (providers differ), through the worker.
  const counts = new Map<string, { tokens: number; exact: boolean; calibration?: Correction }>();
  for (const provider of PROVIDER_IDS) {
    for (const model of Object.values(cfg.routing.config.tiers[provider])) {
      const c = await s.tokens().countBest(provider, model, text);
      counts.set(`${provider}/${model}`, c);
    }
  }
  // A local llama.cpp or vLLM server counts tokens itself: exact counts for the local rows.
  if (s.pricing().isLocal('openaiCompatible')) {
    const baseUrl = cfg.providers.openaiCompatible.baseUrl || defaultBaseUrl('openaiCompatible');
    for (const model of new Set(Object.values(cfg.routing.config.tiers.openaiCompatible))) {
      const n = await serverTokenCount(fetch, baseUrl, model, text, { timeoutMs: 1500 });
      if (n !== undefined) counts.set(`openaiCompatible/${model}`, { tokens: n, exact: true });
    }
  }
  // Anthropic's count_tokens endpoint gives exact counts of the whole request when a key is set.
  const exactWhole = new Map<string, number>();
  for (const model of new Set(Object.values(cfg.routing.config.tiers.anthropic))) {
    const r = router.route({ task: task.id, inputTokens: counts.get(`anthropic/${model}`)?.tokens ?? 0, selectionText: text, languageId, override: { provider: 'anthropic', model } });
    if (isRouteError(r)) continue;
    const n = await s.providerCount(r.request);
    if (n !== undefined) exactWhole.set(`anthropic/${model}`, n);
  }
  const base = router.route({ task: task.id, inputTokens: counts.get(`openai/${cfg.routing.config.tiers.openai.medium}`)?.tokens ?? 0, selectionText: text, languageId });
  const overhead = isRouteError(base) ? 0 : base.inputTokens - (counts.get(`openai/${cfg.routing.config.tiers.openai.medium}`)?.tokens ?? 0);
  const maxTokens = isRouteError(base) ? 1024 : base.maxTokens;
  const rows = compareTable({
    catalogue: pricing.entries,
    tiers: cfg.routing.config.tiers,
    maxTokens,
    currency: cfg.currency,
    // DashScope's batch figure only for the models its Batch API takes in the configured region.
    batchAvailable: (provider: ProviderId, model: string) => provider !== 'dashscope' || dashscopeBatchSupports(model, cfg.dashscopeRegion),
    tokensFor: (provider: ProviderId, model: string) => {
      const whole = exactWhole.get(`${provider}/${model}`);
      if (whole !== undefined) return { tokens: whole, exact: true };
      const c = counts.get(`${provider}/${model}`) ?? { tokens: 0, exact: false };
      return { tokens: c.tokens + overhead, exact: c.exact };
    },
  });
  type Row = (typeof rows)[number];
  const shown = moneyFormatter(cfg.currency.display, rows.flatMap((r) => [r.total, r.input, r.outputAtMax, r.cachedTotal ?? 0, r.batchTotal ?? 0]));
  const fmt = (x: number | undefined) => (x === undefined ? '—' : shown(x));
  const cheapest = Math.min(...rows.filter((r) => r.fitsContext).map((r) => r.total));
  // One row per model: a model several tiers use (a local model on every tier) is listed once, with its tiers.
  const merged: (Row & { tierList: string })[] = [];
  for (const r of rows) {
    const same = merged.find((m) => m.provider === r.provider && m.model === r.model && m.tokens === r.tokens);
    if (same) same.tierList += `${localize(msg('routing.separator.comma'))}${tierWord(r.tier)}`;
    else merged.push({ ...r, tierList: tierWord(r.tier) });
  }
  let calibrated = false;
  const language = vscode.env.language;
  const body = merged
    .map((r) => {
      const entry = pricing.entry(r.provider, r.model);
      const native = entry ? vscode.l10n.t('{0} / {1} per M ({2})', formatMoney(entry.inputPerM, entry.currency), formatMoney(entry.outputPerM, entry.currency), entry.currency) : '';
      const cls = !r.fitsContext ? 'nofit' : r.total === cheapest ? 'best' : '';
      const note = r.fitsContext ? '' : `<div class="warn">${esc(vscode.l10n.t('too long for this model'))}</div>`;
      // Four columns, so that nothing is cut off at the default editor width: the token count goes under the model,
      // the input and output parts under the total.
      // An estimate calibrated from DashScope's reported usage says how far off it was measured to be.
      const measured = r.tokensExact || exactWhole.has(`${r.provider}/${r.model}`) ? undefined : calibrationNote(counts.get(`${r.provider}/${r.model}`)?.calibration);
      if (measured) calibrated = true;
      const count = `${r.tokensExact ? '' : '≈'}${formatInteger(r.tokens, language)}`;
      const tokens = esc(measured ? vscode.l10n.t('{0} tokens ({1})', count, measured) : vscode.l10n.t('{0} tokens', count));
      if (pricing.isLocal(r.provider) && r.total === 0) {
        const free = esc(vscode.l10n.t('free'));
        return `<tr class="${cls} local"><td title="${esc(vscode.l10n.t('A server on this machine: calls cost nothing'))}"><div class="model">${esc(r.model)}</div><div class="prov">${esc(vscode.l10n.t('Local server'))} · ${esc(r.tierList)} · ${tokens}</div>${note}</td><td class="n"><b>${free}</b></td><td class="n">${free}</td><td class="n">—</td></tr>`;
      }
      return `<tr class="${cls}"><td title="${esc(native)}"><div class="model">${esc(r.model)}</div><div class="prov">${esc(PROVIDER_LABELS[r.provider])} · ${esc(r.tierList)} · ${tokens}</div>${note}</td><td class="n"><b>${fmt(r.total)}</b><div class="parts">${esc(vscode.l10n.t('in {0}', fmt(r.input)))}</div><div class="parts">${esc(vscode.l10n.t('out ≤ {0}', fmt(r.outputAtMax)))}</div></td><td class="n">${fmt(r.cachedTotal)}</td><td class="n">${fmt(r.batchTotal)}</td></tr>`;
    })
    .join('\n');
  return buildPage({
    title: vscode.l10n.t('Tierwise: Compare Costs'),
    lang: language,
    style: COMPARE_STYLE,
    body: `<h1>${esc(vscode.l10n.t('Compare costs'))}</h1>
<p class="sub">${esc(vscode.l10n.t("{0} on {1}: the prompt (with the task's system prompt and examples) and up to {2} output tokens, in {3}.", localize(taskLabel(task)), scope, formatInteger(maxTokens, language), cfg.currency.display))}</p>
<div class="wrap"><table aria-label="${esc(vscode.l10n.t('Cost of this request on every tier of every provider'))}">
<thead><tr><th>${esc(vscode.l10n.t('Model'))}</th><th class="n">${esc(vscode.l10n.t('Total'))}<div class="parts">${esc(vscode.l10n.t('in + out at max'))}</div></th><th class="n">${esc(vscode.l10n.t('Cached'))}</th><th class="n">${esc(vscode.l10n.t('Batch'))}</th></tr></thead>
<tbody>
${body}
</tbody></table></div>
<p class="legend">${esc(vscode.l10n.t("The cheapest model that fits is highlighted. “≈” marks an estimated count (the provider's tokenizer is not available offline; with an Anthropic key set, Anthropic's own count is used). Cached prompt: the total when the whole prompt is read from the provider's prompt cache. Batch: through the provider's Batch API (about half price, answers within 24 h). Hover a model for its native price. Prices: {0}.", localize(pricing.priceSourceText())))}${calibrated ? ` ${esc(vscode.l10n.t('DashScope models without a local tokenizer: the estimate is corrected by the input tokens DashScope reported on earlier calls, and “±N%” is its measured error (9 in 10 of those calls came within it).'))}` : ''}</p>`,
  });
}

/** Compare Costs' own styles (the page loads nothing: they go inline, under the page's nonce). */
const COMPARE_STYLE = `body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);background:var(--vscode-editor-background);padding:0 16px 16px}
h1{font-size:1.3em;font-weight:600}
p.sub{color:var(--vscode-descriptionForeground);margin-top:-6px}
table{border-collapse:collapse;width:100%;margin-top:8px}
.wrap{overflow-x:auto}
th,td{padding:4px 7px;border-bottom:1px solid var(--vscode-editorWidget-border,rgba(128,128,128,.3));text-align:left;vertical-align:top}
td.n,th.n{white-space:nowrap}
.model{font-weight:600;overflow-wrap:anywhere;min-width:10ch}
.prov{color:var(--vscode-descriptionForeground);font-size:.9em}
.parts{color:var(--vscode-descriptionForeground);font-size:.9em;font-weight:normal}
.warn{color:var(--vscode-errorForeground);font-size:.9em}
th{font-weight:600;color:var(--vscode-descriptionForeground)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.best td{background:var(--vscode-diffEditor-insertedLineBackground,rgba(0,160,0,.12))}
tr.nofit td{opacity:.55}
.legend{color:var(--vscode-descriptionForeground);margin-top:12px;line-height:1.5}`;

/**
 * The ledger's records as the cost report's series, in the display currency; `workspace` (a key of the report's
 * `workspaces`) keeps that workspace's records only.
 */
export async function costReportData(s: CostPorts, workspace?: string): Promise<CostReportData> {
  const ledger = s.ledger();
  await ledger.loaded;
  const all = ledger.all();
  const records = inWorkspace(all, workspace);
  const names = workspaceLabels(all);
  const here = currentWorkspace()?.id;
  const cfg = s.config();
  const toDisplay = (usd: number) => convert(usd, 'USD', cfg.currency.display, cfg.currency.cnyPerUsd);
  const group = (key: Exclude<GroupKey, 'outcome'>, label?: (k: string) => string): CostPoint[] =>
    groupBy(records, key).map((g) => ({
      key: g.key,
      ...(label ? { label: label(g.key) } : {}),
      cost: toDisplay(g.costUsd),
      requests: g.requests,
      inputTokens: g.inputTokens,
      outputTokens: g.outputTokens,
    }));
  const top = topTierComparison(records, s.pricing().entries, cfg.currency.cnyPerUsd, (p) => cfg.routing.config.tiers[p].complex);
  const batch = batchSavings(records, s);
  const local = localSavings(records, s);
  const days = records.map((r) => new Date(r.time).toISOString().slice(0, 10)).sort();
  const today = new Date().toISOString().slice(0, 10);
  const totalUsd = records.reduce((a, r) => a + r.costUsd, 0);
  return {
    currency: cfg.currency.display,
    generatedAt: new Date().toISOString(),
    from: days[0] ?? today,
    to: days[days.length - 1] ?? today,
    prices: localize(s.pricing().priceSourceText()),
    byDay: group('day').sort((a, b) => a.key.localeCompare(b.key)),
    byProvider: group('provider', (k) => PROVIDER_LABELS[k as ProviderId] ?? k),
    byModel: group('model'),
    byTier: group('tier'),
    byTask: group('task', (k) => {
      const task = s.router().config.tasks[k];
      return task ? localize(taskLabel(task)) : k;
    }),
    bySource: group('source', sourceLabel),
    byWorkspace: group('workspace', (k) => names.get(k) ?? k),
    // The filter's choices: this window's workspace first, then the others by name.
    workspaces: [...names]
      .map(([key, label]) => ({ key, label, ...(key === here ? { current: true } : {}) }))
      .sort((a, b) => Number(!!b.current) - Number(!!a.current) || Number(a.key === NO_WORKSPACE) - Number(b.key === NO_WORKSPACE) || a.label.localeCompare(b.label)),
    ...(workspace !== undefined ? { workspace } : {}),
    totals: {
      cost: toDisplay(totalUsd),
      requests: records.length,
      inputTokens: records.reduce((a, r) => a + r.inputTokens, 0),
      outputTokens: records.reduce((a, r) => a + r.outputTokens, 0),
      cachedTokens: records.reduce((a, r) => a + r.cacheReadTokens, 0),
    },
    savings: {
      cacheTokens: records.reduce((a, r) => a + r.cacheReadTokens, 0),
      cacheCost: toDisplay(cacheNetSavingsUsd(records, s)),
      batchTokens: batch.tokens,
      batchCost: toDisplay(batch.savedUsd),
      topTierCost: toDisplay(top.topTierUsd),
      // Signed: a loss is shown as a cost, never as "$0 saved".
      tieringCost: toDisplay(top.savedUsd),
      localRequests: local.requests,
      localCost: toDisplay(local.savedUsd),
    },
    ...routingSection(records, toDisplay),
  };
}

/** The calls for the CSV export, oldest first, in the display currency (one workspace's, or all). */
export async function costReportCalls(s: CostPorts, workspace?: string): Promise<CsvCall[]> {
  const ledger = s.ledger();
  await ledger.loaded;
  const all = ledger.all();
  const names = workspaceLabels(all);
  const cfg = s.config();
  return inWorkspace(all, workspace).map((r) => ({
    time: new Date(r.time).toISOString(),
    provider: r.provider,
    model: r.model,
    cost: convert(r.costUsd, 'USD', cfg.currency.display, cfg.currency.cnyPerUsd),
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    workspace: names.get(workspaceKey(r)) ?? NO_WORKSPACE_LABEL,
    workspaceId: r.workspace ?? '',
    tier: r.tier ?? '',
    task: r.task ?? '',
    reason: r.reason ?? '',
    escalated: wasEscalated(r),
    source: r.source ?? '',
    outcome: r.outcome,
  }));
}

/** "Saved by routing": auto-routed requests against their default tier and the top tier, escalations, the judge. */
function routingSection(records: readonly LedgerRecord[], toDisplay: (usd: number) => number): Pick<CostReportData, 'routing'> {
  const r = routingSavings(records);
  if (!r) return {};
  return {
    routing: {
      requests: r.requests,
      cost: toDisplay(r.costUsd),
      defaultTierCost: toDisplay(r.defaultTierUsd),
      topTierCost: toDisplay(r.topTierUsd),
      unpriced: r.unpriced,
      escalations: r.escalations,
      learned: r.learned,
      judgeCalls: r.judgeCalls,
      judgeCost: toDisplay(r.judgeUsd),
    },
  };
}

/**
 * What prompt caching saved: reads below the input price minus what cache writes cost above it, per request,
 * signed (a record keeps only the part above zero). Negative when the writes were not read back enough.
 */
function cacheNetSavingsUsd(records: readonly LedgerRecord[], s: CostPorts): number {
  let net = 0;
  for (const r of records) {
    if (!r.cacheReadTokens && !r.cacheWriteTokens) continue;
    const usage = { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheReadTokens: r.cacheReadTokens, cacheWriteTokens: r.cacheWriteTokens, reasoningTokens: r.reasoningTokens, ...(r.explicitCache ? { explicitCache: true } : {}) };
    const c = s.pricing().cost(r.provider, r.model, usage, r.batch);
    net += c ? c.cacheNetUsd : r.cacheSavingsUsd;
  }
  return net;
}

/** What batch requests saved against the interactive price of the same usage. */
function batchSavings(records: readonly LedgerRecord[], s: CostPorts): { tokens: number; savedUsd: number } {
  let tokens = 0;
  let savedUsd = 0;
  for (const r of records) {
    if (!r.batch) continue;
    tokens += r.inputTokens + r.outputTokens;
    const interactive = s.pricing().cost(r.provider, r.model, { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheReadTokens: r.cacheReadTokens, cacheWriteTokens: r.cacheWriteTokens, reasoningTokens: r.reasoningTokens }, false);
    if (interactive) savedUsd += Math.max(0, interactive.usd - r.costUsd);
  }
  return { tokens, savedUsd };
}


/**
 * What calls answered by a local server saved: each priced at the cloud model its tier would have used (the active
 * provider's, or OpenAI's when the local endpoint is the active provider). A saving, never a loss: a local model
 * priced above the cloud (tierwise.models) counts as no saving.
 */
function localSavings(records: readonly LedgerRecord[], s: CostPorts): { requests: number; savedUsd: number } {
  const cfg = s.config().routing.config;
  const cloud: ProviderId = cfg.activeProvider !== 'openaiCompatible' ? cfg.activeProvider : (s.available().find((p) => p !== 'openaiCompatible') ?? 'openai');
  let requests = 0;
  let savedUsd = 0;
  for (const r of records) {
    const isLocal = r.costSource === 'local' || (r.provider === 'openaiCompatible' && r.costUsd === 0 && r.costSource !== 'gateway');
    if (!isLocal) continue;
    requests++;
    const model = cfg.tiers[cloud][r.tier ?? 'simple'];
    const price = s.pricing().cost(cloud, model, { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheReadTokens: r.cacheReadTokens, cacheWriteTokens: r.cacheWriteTokens, reasoningTokens: r.reasoningTokens }, !!r.batch);
    if (price) savedUsd += Math.max(0, price.usd - r.costUsd);
  }
  return { requests, savedUsd };
}
