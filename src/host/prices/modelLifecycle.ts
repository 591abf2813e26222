/**
 * Tier models that are deprecated or gone, named as such before anything is sent: the notice (core's
 * `modelNotice`), where the model came from (a default, the user's or the workspace's setting, a prompt file, a
 * one-off choice), and **Switch to <successor>**, which writes the model where it came from.
 */
import * as vscode from 'vscode';
import { closestModels, isoDay, modelNotice, PLATFORM_NAMES, type ModelNotice } from '../../core/pricing/lifecycle';
import type { Route } from '../../core/routing';
import { defaultTierModels } from '../../core/routing/tiers';
import type { DashScopeRegion } from '../../core/providers/baseUrls';
import { type ProviderId, type Tier, PROVIDER_LABELS } from '../../core/types';
import { errorText, localize } from '../util';
import type { Pricing } from './pricing';

/** What the notices need: the catalogue in use, the DashScope region (whose defaults differ) and the clock. */
export interface LifecyclePort {
  pricing(): Pricing;
  region(): DashScopeRegion;
  now?: () => number;
}

/** The port from the services. */
export function lifecyclePort(s: { pricing(): Pricing; config(): { dashscopeRegion: DashScopeRegion } }): LifecyclePort {
  return { pricing: () => s.pricing(), region: () => s.config().dashscopeRegion };
}

/**
 * The notice for a model, if the catalogue knows it as deprecated or retired. Its successor is the one the platform
 * names, else Tierwise's default model of the same tier (not the tier's setting, which may name the model itself).
 */
export function noticeFor(port: LifecyclePort, provider: ProviderId, model: string): ModelNotice | undefined {
  const today = isoDay((port.now ?? Date.now)());
  const n = modelNotice(port.pricing().entries, provider, model, today, (e) => defaultTierModels(port.region())[provider][e.tier]);
  return n && { ...n, message: localize(n.text) };
}

/** Where a routed model came from, so that Switch writes the same place. */
export type ModelOrigin =
  | { kind: 'setting'; key: string; target: vscode.ConfigurationTarget }
  | { kind: 'promptFile'; uri: vscode.Uri }
  | { kind: 'oneOff' };

/** `tierwise.tiers.<provider>.<tier>` at the scope whose value is in effect (the user's when it is a default). */
export function settingOrigin(provider: ProviderId, tier: Tier): ModelOrigin {
  const key = `tiers.${provider}.${tier}`;
  const i = vscode.workspace.getConfiguration('tierwise').inspect(key);
  const target =
    i?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : i?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  return { kind: 'setting', key, target };
}

/** What of a request names its model: a prompt file's own model, or a one-off choice (a `PendingRequest` is one). */
export interface ModelChoice {
  prebuilt?: { model?: string; file?: vscode.Uri };
  override?: { model?: string };
}

/** The origin of a routed request's model. */
export function originOf(pending: ModelChoice, route: Route): ModelOrigin {
  if (pending.prebuilt?.model && pending.prebuilt.file && pending.prebuilt.model === route.model) return { kind: 'promptFile', uri: pending.prebuilt.file };
  if (pending.override?.model && pending.override.model === route.model) return { kind: 'oneOff' };
  return settingOrigin(route.provider, route.tier);
}

/** The label of the Switch button. */
export function switchLabel(successor: string): string {
  return vscode.l10n.t('Switch to {0}', successor);
}

/**
 * Writes `successor` where the model came from: the tier setting at its scope, or the prompt file's `model:` line.
 * A one-off choice has nothing to write. Returns whether something was written.
 */
export async function switchModel(origin: ModelOrigin, from: string, successor: string): Promise<boolean> {
  if (origin.kind === 'setting') {
    try {
      await vscode.workspace.getConfiguration('tierwise').update(origin.key, successor, origin.target);
    } catch (e) {
      // A settings file VS Code cannot edit (a syntax error in it, say): say so; the request still goes to the successor.
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Tierwise: could not write tierwise.{0} ({1}). This request goes to {2}; set the setting by hand to keep it.', origin.key, errorText(e), successor),
      );
      return false;
    }
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Tierwise: tierwise.{0} is now {1}.', origin.key, successor), 5000);
    return true;
  }
  if (origin.kind === 'promptFile') {
    const doc = await vscode.workspace.openTextDocument(origin.uri);
    const range = modelLineValue(doc, from);
    if (!range) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: could not find "{0}" in the front matter of {1}; change the model there by hand.', from, vscode.workspace.asRelativePath(origin.uri)));
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(origin.uri, range, successor);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) await doc.save();
    else void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: could not edit {0}. This request goes to {1}; change its model by hand to keep it.', vscode.workspace.asRelativePath(origin.uri), successor));
    return ok;
  }
  return false;
}

/** The range of the model's name on its front-matter line (`model: x`, or Prompty's `name: x` under `model:`). */
function modelLineValue(doc: vscode.TextDocument, model: string): vscode.Range | undefined {
  const end = Math.min(doc.lineCount, 200);
  let fence = 0;
  for (let i = 0; i < end; i++) {
    const text = doc.lineAt(i).text;
    if (/^---\s*$/.test(text)) {
      if (++fence === 2) break;
      continue;
    }
    const m = /^(\s*(?:model|name|azure_deployment|deployment):\s*["']?)([^"'\s#]+)/.exec(text);
    if (m && m[2] === model) return new vscode.Range(i, m[1]!.length, i, m[1]!.length + model.length);
  }
  return undefined;
}

/** The argument of the `tierwise.switchModel` command (from the status bar tooltip's links). */
export interface SwitchArgs {
  provider: ProviderId;
  tier: Tier;
  from: string;
  to: string;
}

/** `tierwise.switchModel`: Switch from a status bar link writes the tier setting at the scope in effect. */
export async function switchFromTooltip(args: unknown): Promise<void> {
  const a = args as Partial<SwitchArgs> | undefined;
  if (!a || typeof a.provider !== 'string' || typeof a.tier !== 'string' || typeof a.to !== 'string' || typeof a.from !== 'string') return;
  await switchModel(settingOrigin(a.provider as ProviderId, a.tier as Tier), a.from, a.to);
}

/** A command link that runs `tierwise.switchModel` with `args`, for trusted markdown. */
export function switchLink(args: SwitchArgs): string {
  return `command:tierwise.switchModel?${encodeURIComponent(JSON.stringify([args]))}`;
}

/**
 * The sentence for a provider's "model not found" (404 model_not_found, Anthropic's not_found_error): a retired
 * model says it was retired, when and by whom, and names the successor; an unknown one says it is not in the
 * provider's list and names the closest models that are.
 */
export function notFoundMessage(port: LifecyclePort, provider: ProviderId, model: string, setting: string, listed: readonly string[]): { message: string; successor?: string } {
  const n = noticeFor(port, provider, model);
  if (n) return { message: `${n.message} ${vscode.l10n.t('It was chosen by the setting {0}.', setting)}`, ...(n.successor ? { successor: n.successor } : {}) };
  const near = closestModels(model, listed, 3);
  const who = provider === 'openaiCompatible' ? PROVIDER_LABELS[provider] : PLATFORM_NAMES[provider];
  return {
    message: near.length
      ? vscode.l10n.t('{0} answered that "{1}" is not one of its models (404). It was chosen by the setting {2}. Closest models it has: {3}.', who, model, setting, near.join(', '))
      : vscode.l10n.t('{0} answered that "{1}" is not one of its models (404). It was chosen by the setting {2}; pick another model there.', who, model, setting),
  };
}
