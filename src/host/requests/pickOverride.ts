import * as vscode from 'vscode';
import { tierName, type RouteOverride } from '../../core/routing';
import { localize } from '../util';
import { PROVIDER_LABELS, TIERS } from '../../core/types';
import type { RequestPorts } from './ports';

/** A quick pick to change tier or model for one request: undefined is automatic, null cancelled. */
export async function pickOverride(s: Pick<RequestPorts, 'config' | 'pricing' | 'available'>): Promise<RouteOverride | undefined | null> {
  const cfg = s.config().routing.config;
  const pricing = s.pricing();
  type Item = vscode.QuickPickItem & { ov?: RouteOverride };
  const items: Item[] = [
    { label: `$(sparkle) ${vscode.l10n.t('Automatic')}`, description: vscode.l10n.t('the tier the task needs'), ov: undefined },
    ...TIERS.map((t) => ({ label: `$(layers) ${vscode.l10n.t('{0} tier', localize(tierName(t)))}`, description: cfg.tiers[cfg.activeProvider][t], ov: { tier: t } })),
  ];
  // Any catalogued model of a provider that can be called now, with its price.
  const today = new Date().toISOString().slice(0, 10);
  for (const provider of s.available()) {
    const models = pricing.entries.models(provider);
    if (!models.length) continue;
    items.push({ label: PROVIDER_LABELS[provider], kind: vscode.QuickPickItemKind.Separator });
    for (const m of models) {
      if (m.endOfLife && m.endOfLife < today) continue; // shut down: no longer answers
      const state = m.deprecated ? ` · ${m.endOfLife ? vscode.l10n.t('deprecated, ends {0}', m.endOfLife) : vscode.l10n.t('deprecated')}` : '';
      items.push({ label: m.id, description: `${localize(tierName(m.tier))}${state} · ${pricing.describePrice(provider, m.id) ?? ''}`, ov: { provider, model: m.id } });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tierwise: tier or model for this request'), matchOnDescription: true });
  if (!picked) return null;
  return picked.ov;
}
