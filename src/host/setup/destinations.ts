/**
 * Where keys go, for the host: endpoints approved per workspace (workspaceState: provider and host, never a key),
 * the modal that asks before a workspace's own destination is used, the plain-http warning, and
 * "Tierwise: Manage Approved Endpoints…". The decisions themselves are in src/core/destinations.ts.
 */
import * as vscode from 'vscode';
import { describeWithheld, isPlainHttpRemote, type Approval } from '../../core/destinations';
import { PROVIDER_LABELS, type ProviderId } from '../../core/types';
import type { TierwiseConfig } from '../config';
import { localize, type Log } from '../util';
import { english, type Message } from '../../core/messages';

const APPROVALS_STATE = 'tierwise.approvedEndpoints';
const PLAIN_HTTP_STATE = 'tierwise.plainHttpAccepted';

/** A modal question: resolves to the button picked, undefined when dismissed. Replaceable so tests can answer. */
export type AskModal = (message: string, detail: string, ...buttons: string[]) => Thenable<string | undefined>;

const askModal: AskModal = (message, detail, ...buttons) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);

export class Destinations implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an approval is added or revoked: the settings in effect change. */
  readonly onDidChange = this.changed.event;
  /** Workspace destinations the user chose not to use in this window ("Use My Settings"), as provider|host. */
  private readonly declined = new Set<string>();
  ask: AskModal = askModal;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  approvals(): Approval[] {
    const list = this.context.workspaceState.get<unknown>(APPROVALS_STATE, []);
    return Array.isArray(list) ? list.filter((a): a is Approval => !!a && typeof a === 'object' && typeof (a as Approval).host === 'string' && typeof (a as Approval).provider === 'string') : [];
  }

  isApproved = (provider: ProviderId, host: string): boolean => this.approvals().some((a) => a.provider === provider && a.host === host);

  async approve(provider: ProviderId, host: string, setting: string): Promise<void> {
    if (this.isApproved(provider, host)) return;
    await this.context.workspaceState.update(APPROVALS_STATE, [...this.approvals(), { provider, host, setting, approvedAt: Date.now() } satisfies Approval]);
    this.declined.delete(`${provider}|${host}`);
    this.log.info(`endpoints: ${host} approved for ${PROVIDER_LABELS[provider]} in this workspace (${setting})`);
    this.changed.fire();
  }

  async revoke(provider: ProviderId, host: string): Promise<void> {
    await this.context.workspaceState.update(
      APPROVALS_STATE,
      this.approvals().filter((a) => !(a.provider === provider && a.host === host)),
    );
    this.log.info(`endpoints: approval of ${host} for ${PROVIDER_LABELS[provider]} revoked in this workspace`);
    this.changed.fire();
  }

  plainHttpAccepted(): string[] {
    const list = this.context.globalState.get<unknown>(PLAIN_HTTP_STATE, []);
    return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
  }

  private async forgetPlainHttp(host: string): Promise<void> {
    await this.context.globalState.update(PLAIN_HTTP_STATE, this.plainHttpAccepted().filter((h) => h !== host));
    this.log.info(`endpoints: plain-http warning for ${host} will be shown again`);
  }

  /** Whether a key may go to this provider's destination without a plain-http warning first. */
  mayCarryKey(cfg: TierwiseConfig, provider: ProviderId): boolean {
    const d = cfg.destinations[provider];
    return !isPlainHttpRemote(d.url) || this.plainHttpAccepted().includes(d.host);
  }

  /**
   * Before a request to `provider`: a workspace destination not yet approved is asked about (approve / use my own
   * settings / cancel), and a key about to travel over plain http to a remote host is warned about once per host.
   * Resolves to the notes for the answer panel (which destination was used and why), or undefined when cancelled.
   * `config` is read again after an approval, since the destination in effect changes.
   */
  async beforeSend(provider: ProviderId, config: () => TierwiseConfig, hasKey: boolean): Promise<string[] | undefined> {
    const notes: string[] = [];
    let cfg = config();
    for (const w of cfg.withheld.filter((x) => x.provider === provider)) {
      const used = cfg.destinations[provider];
      if (w.reason === 'untrusted' || this.declined.has(`${provider}|${w.host}`)) {
        notes.push(localize(describeWithheld(w, used)));
        continue;
      }
      const label = PROVIDER_LABELS[provider];
      const allow = vscode.l10n.t('Allow {0}', w.host);
      const mine = vscode.l10n.t('Use My Settings');
      const choice = await this.ask(
        hasKey
          ? vscode.l10n.t("This workspace's settings send {0} requests and your API key to {1}.", label, w.host)
          : vscode.l10n.t("This workspace's settings send {0} requests to {1}.", label, w.host),
        vscode.l10n.t(
          '{0} is "{1}" in this workspace\'s settings. Allow it only if you trust this workspace and that server; the approval is remembered for this workspace and can be revoked with "Tierwise: Manage Approved Endpoints…". Your own settings send {2} requests to {3}.',
          w.setting,
          w.value,
          label,
          used.host,
        ),
        // The safe choice first: a modal's first button is the one Enter picks; Allow takes a deliberate click.
        mine,
        allow,
      );
      if (choice === allow) {
        await this.approve(provider, w.host, w.setting);
        cfg = config();
      } else if (choice === mine) {
        this.declined.add(`${provider}|${w.host}`);
        this.log.info(`endpoints: ${w.setting} from this workspace (${w.host}) not used; ${label} requests go to ${used.host}`);
        notes.push(localize(describeWithheld(w, used)));
      } else {
        return undefined;
      }
    }
    const dest = cfg.destinations[provider];
    if (cfg.workspaceRouting.length) notes.push(vscode.l10n.t("Routed by this workspace's settings: {0}.", cfg.workspaceRouting.join(', ')));
    if (dest.source === 'workspace') notes.push(vscode.l10n.t('Sent to {0}, approved for this workspace ({1}).', dest.host, dest.setting));
    if (hasKey && !this.mayCarryKey(cfg, provider)) {
      const send = vscode.l10n.t('Send Over HTTP');
      const choice = await this.ask(
        vscode.l10n.t('{0} is reached over plain http: your {1} API key and the request would cross the network unencrypted.', dest.host, PROVIDER_LABELS[provider]),
        vscode.l10n.t('{0} is "{1}". Use https:// if the server offers it. Sending anyway is remembered for this host.', dest.setting, dest.url),
        send,
      );
      if (choice !== send) return undefined;
      await this.context.globalState.update(PLAIN_HTTP_STATE, [...this.plainHttpAccepted(), dest.host]);
      this.log.warn(`endpoints: sending ${PROVIDER_LABELS[provider]} requests to ${dest.host} over plain http, as accepted`);
    }
    return notes;
  }

  /** "Tierwise: Manage Approved Endpoints…": lists the approvals of this workspace and the plain-http hosts; picking one revokes it. */
  async manage(): Promise<void> {
    type Item = vscode.QuickPickItem & { revoke?: () => Promise<void> };
    const items: Item[] = [];
    const approvals = this.approvals();
    if (approvals.length) items.push({ label: vscode.l10n.t('Approved for this workspace'), kind: vscode.QuickPickItemKind.Separator });
    for (const a of approvals) {
      items.push({
        label: a.host,
        description: `${PROVIDER_LABELS[a.provider]} · ${a.setting}`,
        detail: vscode.l10n.t('approved {0}; pick to revoke', new Date(a.approvedAt).toLocaleString()),
        revoke: () => this.revoke(a.provider, a.host),
      });
    }
    const http = this.plainHttpAccepted();
    if (http.length) items.push({ label: vscode.l10n.t('Plain http accepted (all workspaces)'), kind: vscode.QuickPickItemKind.Separator });
    for (const h of http) items.push({ label: h, description: vscode.l10n.t('sent over plain http without a warning'), detail: vscode.l10n.t('pick to warn again'), revoke: () => this.forgetPlainHttp(h) });
    if (!items.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: no endpoints are approved for this workspace. Requests go to the provider defaults or the base URLs in your own settings.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tierwise: Approved Endpoints'), placeHolder: vscode.l10n.t('Pick an endpoint to revoke its approval') });
    if (picked?.revoke) {
      await picked.revoke();
      void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: {0} is no longer approved.', picked.label));
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Invalid settings and ignored workspace values, each reported once per window: a log line, and for invalid values
 * one warning notification naming the setting and the value used instead.
 */
export class SettingsReporter {
  private readonly seen = new Set<string>();

  constructor(private readonly log: Log) {}

  report(cfg: TierwiseConfig): void {
    for (const p of cfg.problems) {
      const text = localize(p);
      if (this.once(`problem|${text}`)) {
        this.log.warn(`settings: ${text}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise settings: {0}', text), vscode.l10n.t('Open Settings')).then((c) => c && vscode.commands.executeCommand('workbench.action.openSettings', p.setting));
      }
    }
    for (const l of cfg.loosened) if (this.once(`loosened|${l}`)) this.log.warn(`settings: ${l}`);
    for (const w of cfg.withheld) {
      if (this.once(`withheld|${w.setting}|${w.value}|${w.reason}`)) {
        this.log.warn(`settings: ${english(describeWithheld(w, cfg.destinations[w.provider]))}`);
      }
    }
  }

  /** A workspace value ignored for loosening a spending check, found outside the settings read (prices). */
  ignored(message: Message): void {
    const text = localize(message);
    if (this.once(`loosened|${text}`)) this.log.warn(`settings: ${text}`);
  }

  /** The problem texts reported so far (for tests). */
  reported(): string[] {
    return [...this.seen].filter((k) => k.startsWith('problem|')).map((k) => k.slice('problem|'.length));
  }

  private once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
