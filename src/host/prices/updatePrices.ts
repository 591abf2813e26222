import * as vscode from 'vscode';
import { type PriceDiff, type PriceList, Catalogue, LITELLM_PRICES_URL, describeDiff, diffPriceList, parseLiteLlmPrices } from '../../core/pricing';
import { lifecycleChanges } from '../../core/pricing/priceList';
import type { TierwiseConfig } from '../config';
import { errorText, localize, type Log } from '../util';
import type { Pricing } from './pricing';

/** What updating prices needs from the extension's services. */
export interface PriceDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  config(): TierwiseConfig;
  pricing(): Pricing;
  pricingIfLoaded(): Pricing | undefined;
}

/** Where the applied price list lives (global state: the same for every workspace). */
export const PRICE_LIST_KEY = 'tierwise.priceList';
const URL_SETTING = 'pricing.updateUrl';
/** LiteLLM's raw file on GitHub (also the setting's default in package.json). */
const DEFAULT_URL = LITELLM_PRICES_URL;
const MAX_BYTES = 50 * 1024 * 1024;

function isPriceList(v: unknown): v is PriceList {
  const o = v as PriceList | undefined;
  if (!o || typeof o.name !== 'string' || typeof o.date !== 'string' || typeof o.from !== 'string' || !Array.isArray(o.models)) return false;
  return o.models.every(
    (m) =>
      !!m &&
      (m.provider === 'openai' || m.provider === 'anthropic' || m.provider === 'dashscope') &&
      typeof m.id === 'string' &&
      m.id.length > 0 &&
      Number.isFinite(m.inputPerM) &&
      Number.isFinite(m.outputPerM),
  );
}

/** The stored price list, if one was applied and it is well formed. */
export function storedPriceList(context: vscode.ExtensionContext): PriceList | undefined {
  const v = context.globalState.get<unknown>(PRICE_LIST_KEY);
  return isPriceList(v) ? v : undefined;
}

/**
 * The URL to read: the user's own setting or the default. A workspace value is ignored: a folder you open must
 * not choose where your prices come from.
 */
export function priceListUrl(): string {
  const i = vscode.workspace.getConfiguration('tierwise').inspect<string>(URL_SETTING);
  const v = (i?.globalValue ?? i?.defaultValue ?? DEFAULT_URL).trim();
  return v || DEFAULT_URL;
}

export interface LoadedPrices {
  list: PriceList;
  diff: PriceDiff;
  /** One line per change, for the confirmation. */
  lines: string[];
  problems: string[];
}

/** Reads, compares and applies price lists; the command below is the UI around it. */
export class PriceUpdater implements vscode.Disposable {
  private readonly updated = new vscode.EventEmitter<void>();
  /** A price list was applied or reset: estimates and costs shown need repricing. */
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly s: PriceDeps) {}

  /** Reads a LiteLLM price list from an http(s) URL or a local file and compares it with the prices in use. */
  async load(from: { url: string } | { file: vscode.Uri }, signal?: AbortSignal): Promise<LoadedPrices> {
    let text: string;
    let where: string;
    if ('url' in from) {
      const url = new URL(from.url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(vscode.l10n.t('the price list URL must be http(s), not {0}', url.protocol));
      const res = await fetch(url, { signal: signal ?? AbortSignal.timeout(60_000), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(vscode.l10n.t('{0} answered {1} {2}', url.host, res.status, res.statusText));
      text = await res.text();
      where = url.toString();
    } else {
      const bytes = await vscode.workspace.fs.readFile(from.file);
      if (bytes.byteLength > MAX_BYTES) throw new Error(vscode.l10n.t('the file is larger than {0} MB', MAX_BYTES / 1024 / 1024));
      text = new TextDecoder().decode(bytes);
      where = from.file.scheme === 'file' ? from.file.fsPath : from.file.toString();
    }
    if (text.length > MAX_BYTES) throw new Error(vscode.l10n.t('the price list is larger than {0} MB', MAX_BYTES / 1024 / 1024));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(vscode.l10n.t('not JSON ({0})', e instanceof Error ? e.message : String(e)));
    }
    const today = new Date().toISOString().slice(0, 10);
    const { list, problems } = parseLiteLlmPrices(json, { from: where, date: today });
    if (!list.models.some((m) => m.provider !== 'dashscope')) throw new Error(vscode.l10n.t('no OpenAI or Anthropic chat model with prices in it'));
    // Compare with the built-in prices (not with a list applied earlier; settings corrections apply on top either way).
    const base = new Catalogue({ dashscopeRegion: 'china' });
    const diff = diffPriceList(base, list);
    return { list, diff, lines: describeDiff(diff, 40, today), problems };
  }

  /** Stores the list (with its date) and reprices from it. */
  async apply(list: PriceList): Promise<void> {
    await this.s.context.globalState.update(PRICE_LIST_KEY, list);
    this.refresh();
  }

  /** Back to the built-in prices. */
  async reset(): Promise<void> {
    await this.s.context.globalState.update(PRICE_LIST_KEY, undefined);
    this.refresh();
  }

  private refresh(): void {
    this.s.pricingIfLoaded()?.update(this.s.config());
    this.updated.fire();
  }

  dispose(): void {
    this.updated.dispose();
  }
}

/** "Tierwise: Update Prices…": from the URL or a file, shows the changes, applies them on the user's yes. */
export function registerUpdatePrices(s: PriceDeps, updater: PriceUpdater): vscode.Disposable {
  return vscode.commands.registerCommand('tierwise.updatePrices', async () => {
    const url = priceListUrl();
    type Item = vscode.QuickPickItem & { action: 'url' | 'file' | 'reset' };
    const items: Item[] = [
      { label: `$(cloud-download) ${vscode.l10n.t('From the price list URL')}`, description: url, detail: vscode.l10n.t('tierwise.pricing.updateUrl (LiteLLM by default)'), action: 'url' },
      { label: `$(file) ${vscode.l10n.t('From a local file…')}`, description: vscode.l10n.t('a copy of model_prices_and_context_window.json'), action: 'file' },
    ];
    if (storedPriceList(s.context)) items.push({ label: `$(discard) ${vscode.l10n.t('Use the built-in prices again')}`, description: localize(s.pricing().priceSourceText()), action: 'reset' });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tierwise: Update Prices (now: {0})', localize(s.pricing().priceSourceText())) });
    if (!picked) return;
    if (picked.action === 'reset') {
      await updater.reset();
      void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: using the {0}.', localize(s.pricing().priceSourceText())));
      return;
    }
    let from: { url: string } | { file: vscode.Uri } = { url };
    if (picked.action === 'file') {
      const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('LiteLLM price list')]: ['json'] }, title: vscode.l10n.t('Tierwise: LiteLLM price list (model_prices_and_context_window.json)') });
      if (!files?.[0]) return;
      from = { file: files[0] };
    }
    let loaded: LoadedPrices;
    try {
      loaded = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tierwise: reading the price list…') }, () => updater.load(from));
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: could not read the price list: {0}. Nothing was changed.', errorText(e)));
      return;
    }
    for (const p of loaded.problems) s.log.info(`price list: ${p}`);
    const { added, unchanged } = loaded.diff;
    // End-of-life dates are counted apart from prices.
    const lifecycle = lifecycleChanges(loaded.diff);
    const changed = loaded.diff.changed.filter((c) => c.field !== 'endOfLife');
    const models = new Set(changed.map((c) => `${c.provider}/${c.id}`)).size;
    const newModels = added.length === 1 ? vscode.l10n.t('1 new model') : vscode.l10n.t('{0} new models', added.length);
    const onModels = models === 1 ? vscode.l10n.t('1 model') : vscode.l10n.t('{0} models', models);
    const changedPrices = changed.length === 1 ? vscode.l10n.t('1 changed price on {0}', onModels) : vscode.l10n.t('{0} changed prices on {1}', changed.length, onModels);
    const summary = lifecycle.length
      ? vscode.l10n.t('{0}, {1}, {2}, {3} unchanged', newModels, changedPrices, lifecycle.length === 1 ? vscode.l10n.t('1 end-of-life date') : vscode.l10n.t('{0} end-of-life dates', lifecycle.length), unchanged)
      : vscode.l10n.t('{0}, {1}, {2} unchanged', newModels, changedPrices, unchanged);
    const apply = vscode.l10n.t('Apply');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Tierwise: {0}. Apply these prices and end-of-life dates (prices of OpenAI and Anthropic; DashScope keeps its built-in CNY prices and takes only the end-of-life dates)?', summary),
      { modal: true, detail: loaded.lines.join('\n') || vscode.l10n.t('No price differs from the built-in catalogue.') },
      apply,
    );
    if (choice !== apply) return;
    await updater.apply(loaded.list);
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: now using the {0}.', localize(s.pricing().priceSourceText())));
  });
}
