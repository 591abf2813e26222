import * as vscode from 'vscode';
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../../core/types';
import type { Log } from '../util';

const SECRET_PREFIX = 'tierwise.apiKey.';
const ENV_VARS: Partial<Record<ProviderId, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  dashscope: 'DASHSCOPE_API_KEY',
};
const ENV_OFFER_STATE = 'tierwise.envImportOffered';

/**
 * API keys, in VS Code SecretStorage only. Keys are read on demand (never cached in settings or state),
 * and a change made in another window arrives through `secrets.onDidChange`.
 */
export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProviderId>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;
  private readonly known = new Map<ProviderId, boolean>();
  private readonly versions = new Map<ProviderId, number>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {
    this.sub = secrets.onDidChange((e) => {
      if (!e.key.startsWith(SECRET_PREFIX)) return;
      const id = e.key.slice(SECRET_PREFIX.length) as ProviderId;
      if (!PROVIDER_IDS.includes(id)) return;
      this.known.delete(id);
      this.bump(id);
      this.log.info(`API key for ${PROVIDER_LABELS[id]} changed`);
      this.changed.fire(id);
    });
  }

  /** Grows whenever the provider's key changes (here or in another window): compare to see if a key was rotated. */
  version(id: ProviderId): number {
    return this.versions.get(id) ?? 0;
  }

  private bump(id: ProviderId): void {
    this.versions.set(id, this.version(id) + 1);
  }

  async get(id: ProviderId): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_PREFIX + id);
    this.known.set(id, !!key);
    this.log.addSecret(key);
    return key || undefined;
  }

  async has(id: ProviderId): Promise<boolean> {
    const cached = this.known.get(id);
    if (cached !== undefined) return cached;
    return !!(await this.get(id));
  }

  async set(id: ProviderId, key: string): Promise<void> {
    const trimmed = key.trim();
    this.log.addSecret(trimmed);
    await this.secrets.store(SECRET_PREFIX + id, trimmed);
    this.known.set(id, true);
    this.bump(id);
    this.log.info(`API key for ${PROVIDER_LABELS[id]} stored in secret storage`);
    this.changed.fire(id);
  }

  async clear(id: ProviderId): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + id);
    this.known.set(id, false);
    this.bump(id);
    this.log.info(`API key for ${PROVIDER_LABELS[id]} cleared`);
    this.changed.fire(id);
  }

  /** Asks for a provider (unless given) and a key; returns the provider set, or undefined if cancelled. */
  async promptAndSet(preset?: ProviderId): Promise<ProviderId | undefined> {
    const id = preset ?? (await pickProvider(vscode.l10n.t('Set the API key for which provider?'), await this.statusList()));
    if (!id) return undefined;
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Tierwise: API key for {0}', PROVIDER_LABELS[id]),
      prompt: id === 'openaiCompatible' ? vscode.l10n.t('Optional for local servers; needed by most gateways. Stored in VS Code secret storage.') : vscode.l10n.t('Stored in VS Code secret storage, never in settings.'),
      password: true,
      ignoreFocusOut: true,
      placeHolder: id === 'anthropic' ? 'sk-ant-…' : 'sk-…',
      validateInput: (v) => (v.trim().length === 0 ? vscode.l10n.t('Paste a key, or press Escape to cancel.') : /\s/.test(v.trim()) ? vscode.l10n.t('A key has no spaces.') : undefined),
    });
    if (key === undefined) return undefined;
    await this.set(id, key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: API key for {0} saved.', PROVIDER_LABELS[id]));
    return id;
  }

  async promptAndClear(): Promise<void> {
    const list = await this.statusList();
    const id = await pickProvider(vscode.l10n.t('Clear the API key of which provider?'), list.filter((p) => p.hasKey));
    if (!id) return;
    await this.clear(id);
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: API key for {0} cleared.', PROVIDER_LABELS[id]));
  }

  private async statusList(): Promise<{ id: ProviderId; hasKey: boolean }[]> {
    return Promise.all(PROVIDER_IDS.map(async (id) => ({ id, hasKey: !!(await this.get(id)) })));
  }

  /**
   * Keys found in the environment are offered once as an import; they are never read silently on a call.
   */
  async offerEnvironmentImport(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    const offered = this.state.get<string[]>(ENV_OFFER_STATE, []);
    const candidates: ProviderId[] = [];
    for (const id of PROVIDER_IDS) {
      const name = ENV_VARS[id];
      if (!name || !env[name] || offered.includes(id)) continue;
      if (await this.has(id)) continue;
      candidates.push(id);
    }
    if (!candidates.length) return;
    const names = candidates.map((id) => ENV_VARS[id]).join(', ');
    const importKeys = vscode.l10n.t('Import');
    const never = vscode.l10n.t("Don't Ask Again");
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Tierwise found {0} in the environment. Import into VS Code secret storage? (Tierwise never reads keys from the environment on its own.)', names),
      importKeys,
      vscode.l10n.t('Not Now'),
      never,
    );
    if (choice === importKeys) {
      for (const id of candidates) await this.set(id, env[ENV_VARS[id]!]!);
      void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: imported {0} key(s) into secret storage.', candidates.length));
    }
    if (choice === importKeys || choice === never) {
      await this.state.update(ENV_OFFER_STATE, [...offered, ...candidates]);
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

async function pickProvider(title: string, list: { id: ProviderId; hasKey: boolean }[]): Promise<ProviderId | undefined> {
  if (!list.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: no API keys are stored.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    list.map((p) => ({ label: PROVIDER_LABELS[p.id], description: p.hasKey ? vscode.l10n.t('key set') : vscode.l10n.t('no key'), id: p.id })),
    { title, placeHolder: vscode.l10n.t('Provider') },
  );
  return picked?.id;
}
