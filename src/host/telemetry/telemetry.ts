/**
 * OpenTelemetry export, off until `tierwise.telemetry.otlpEndpoint` is set in the user's settings. This file never
 * imports the SDK: the exporter lives in dist/telemetry.js (src/core/telemetry/otel.ts), loaded through util/lazy.ts when
 * export is on and the first call has ended, never during activation. `record` is synchronous and returns at once;
 * nothing on a request's path waits for the collector.
 */
import * as vscode from 'vscode';
import type { ExportStats, OtelExport } from '../../core/telemetry/otel';
import {
  AttemptTimeline,
  callFromOutcome,
  HEADER_NAME,
  otlpBase,
  resolveTelemetrySettings,
  workspaceIdentity,
  type CostSource,
  type OutcomeFacts,
  type TelemetryCall,
  type TelemetrySettings,
} from '../../core/telemetry';
import type { LedgerRecord } from '../../core/pricing';
import { loadTelemetry, localize, type Log } from '../util';
import type { Pricing } from '../prices';

const HEADER_SECRET = 'tierwise.telemetry.header.';
const ENV_OFFER_STATE = 'tierwise.otelEnvOffered';
/** Calls kept while the exporter starts (reading the header secrets); the oldest go first. */
const STARTING_QUEUE = 256;

export { AttemptTimeline };

export class Telemetry implements vscode.Disposable {
  private settings_: TelemetrySettings | undefined;
  private exporter: OtelExport | undefined;
  private starting: Promise<void> | undefined;
  private pending: TelemetryCall[] = [];
  private generation = 0;
  /** The exporter could not start with these settings (said once; tried again when they change). */
  private startFailed = false;
  private readonly subs: vscode.Disposable[] = [];
  private readonly version: string;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.version = String((context.extension?.packageJSON as { version?: string } | undefined)?.version ?? '0.0.0');
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tierwise.telemetry')) this.restart();
      }),
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith(HEADER_SECRET)) this.restart();
      }),
    );
  }

  /** The user's telemetry settings (workspace values are ignored, and said so once per change in the log). */
  settings(): TelemetrySettings {
    if (!this.settings_) {
      const c = vscode.workspace.getConfiguration('tierwise.telemetry');
      const s = (this.settings_ = resolveTelemetrySettings((k) => c.inspect(k)));
      for (const k of s.ignored) this.log.warn(`${k}: the workspace value is ignored; telemetry settings are read from your user settings only`);
      for (const p of s.problems) this.log.warn(localize(p));
    }
    return this.settings_;
  }

  /** Whether calls are exported: an endpoint is set. Cheap; read on every call. */
  get enabled(): boolean {
    return !!this.settings().endpoint;
  }

  get captureContent(): boolean {
    return this.enabled && this.settings().captureContent;
  }

  /** The `tierwise.workspace` attribute: a hash of the first folder's URI, or its name when names are allowed. */
  workspace(): string | undefined {
    const f = vscode.workspace.workspaceFolders?.[0];
    return workspaceIdentity(f && { uri: f.uri.toString(), name: f.name }, this.settings().workspaceNames);
  }

  /** A call ended: exported when export is on. Never throws, never waits. */
  record(call: TelemetryCall): void {
    try {
      if (!this.enabled) return;
      if (this.exporter) return this.exporter.submit(call);
      if (this.startFailed) return;
      this.pending.push(call);
      if (this.pending.length > STARTING_QUEUE) this.pending.shift();
      this.starting ??= this.start();
    } catch (e) {
      this.log.warn(`telemetry: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async start(): Promise<void> {
    const generation = this.generation;
    try {
      const s = this.settings();
      const headers: Record<string, string> = {};
      for (const name of s.headerNames) {
        const v = await this.context.secrets.get(HEADER_SECRET + name);
        if (v) {
          this.log.addSecret(v);
          headers[name] = v;
        }
      }
      if (generation !== this.generation || !s.endpoint) return;
      const t0 = performance.now();
      const { OtelExport } = loadTelemetry();
      this.exporter = new OtelExport({
        endpoint: s.endpoint,
        headers,
        serviceName: s.serviceName,
        serviceVersion: this.version,
        resourceAttributes: s.resourceAttributes,
        log: this.log,
      });
      const missing = s.headerNames.filter((n) => !(n in headers));
      this.log.info(
        `telemetry: exporting to ${s.endpoint} (OpenTelemetry loaded in ${(performance.now() - t0).toFixed(1)} ms)${missing.length ? `; no value set for header(s) ${missing.join(', ')}` : ''}`,
      );
      const calls = this.pending;
      this.pending = [];
      for (const c of calls) this.exporter.submit(c);
    } catch (e) {
      this.startFailed = true;
      this.pending = [];
      this.log.warn(`telemetry: export could not start (calls are not exported until the telemetry settings change): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (generation === this.generation) this.starting = undefined;
    }
  }

  /** Settings or a header changed: the next call starts an exporter with the new ones; the old one flushes and stops. */
  private restart(): void {
    this.generation++;
    this.startFailed = false;
    this.settings_ = undefined;
    this.starting = undefined;
    const old = this.exporter;
    this.exporter = undefined;
    if (!this.enabled) this.pending = [];
    void old?.shutdown();
  }

  /** Exports what is queued (for tests and shutdown); at most `timeoutMs`. */
  async flush(timeoutMs = 4000): Promise<void> {
    await this.starting;
    await this.exporter?.flush(timeoutMs);
  }

  /** What the exporter did so far (undefined while none runs). */
  stats(): ExportStats | undefined {
    return this.exporter?.stats();
  }

  /** Whether the exporter is running (the SDK bundle is loaded only then). */
  get running(): boolean {
    return !!this.exporter;
  }

  /** Set Telemetry Header…: a header's name (kept in settings) and value (kept in SecretStorage). */
  async promptAndSetHeader(): Promise<void> {
    const names = this.settings().headerNames;
    const other = vscode.l10n.t('Another header…');
    const picked = names.length
      ? await vscode.window.showQuickPick(
          [
            ...(await Promise.all(names.map(async (n) => ({ label: n, description: (await this.context.secrets.get(HEADER_SECRET + n)) ? vscode.l10n.t('value set') : vscode.l10n.t('no value') })))),
            { label: other, description: '' },
          ],
          { title: vscode.l10n.t('Tierwise: set a telemetry header'), placeHolder: vscode.l10n.t('Header sent to the OpenTelemetry collector') },
        )
      : { label: other };
    if (!picked) return;
    const name =
      picked.label === other
        ? (
            await vscode.window.showInputBox({
              title: vscode.l10n.t('Tierwise: telemetry header name'),
              prompt: vscode.l10n.t('For example Authorization (Langfuse) or x-honeycomb-team (Honeycomb).'),
              ignoreFocusOut: true,
              validateInput: (v) => (HEADER_NAME.test(v.trim()) ? undefined : vscode.l10n.t('A header name: letters, digits and - _ . without spaces.')),
            })
          )?.trim()
        : picked.label;
    if (!name) return;
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Tierwise: value of the {0} header', name),
      prompt: vscode.l10n.t('Stored in VS Code secret storage, never in settings. Leave empty to remove the value.'),
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    await this.setHeader(name, value);
    void vscode.window.showInformationMessage(value.trim() ? vscode.l10n.t('Tierwise: telemetry header {0} saved.', name) : vscode.l10n.t('Tierwise: telemetry header {0} removed.', name));
  }

  /** Stores a header's value in SecretStorage (empty: removes it) and its name in the user's settings. */
  async setHeader(name: string, value: string): Promise<void> {
    const v = value.trim();
    if (v) {
      this.log.addSecret(v);
      await this.context.secrets.store(HEADER_SECRET + name, v);
    } else await this.context.secrets.delete(HEADER_SECRET + name);
    const names = this.settings().headerNames;
    if (v && !names.includes(name)) {
      await vscode.workspace.getConfiguration('tierwise.telemetry').update('headers', [...names, name], vscode.ConfigurationTarget.Global);
    }
    this.log.info(`telemetry: header ${name} ${v ? 'stored in secret storage' : 'removed'}`);
  }

  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT in the environment (as Copilot Chat and Claude Code read it): offered once as the
   * endpoint, with OTEL_EXPORTER_OTLP_HEADERS going into SecretStorage; never used without the user's yes.
   */
  async offerEnvironmentEndpoint(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    const endpoint = otlpBase(env.OTEL_EXPORTER_OTLP_ENDPOINT);
    if (!endpoint || this.settings().endpoint) return;
    if (this.context.globalState.get<string>(ENV_OFFER_STATE) === endpoint) return;
    const use = vscode.l10n.t('Use It');
    const never = vscode.l10n.t("Don't Ask Again");
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Tierwise found OTEL_EXPORTER_OTLP_ENDPOINT ({0}) in the environment. Export a span and metrics of each call there (token counts, cost, model, tier; no prompt or answer text)?',
        endpoint,
      ),
      use,
      vscode.l10n.t('Not Now'),
      never,
    );
    if (choice === use) {
      for (const [name, value] of parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS)) await this.setHeader(name, value);
      await vscode.workspace.getConfiguration('tierwise.telemetry').update('otlpEndpoint', endpoint, vscode.ConfigurationTarget.Global);
    }
    if (choice === use || choice === never) await this.context.globalState.update(ENV_OFFER_STATE, endpoint);
  }

  /** Before the window goes: what is queued is exported, for a short while at most. */
  async shutdown(timeoutMs = 1500): Promise<void> {
    const e = this.exporter;
    this.exporter = undefined;
    await e?.shutdown(timeoutMs);
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    void this.shutdown();
  }
}

/** OTEL_EXPORTER_OTLP_HEADERS: `name=value,name2=value2`, values percent-encoded. */
export function parseOtlpHeaders(raw: string | undefined): [string, string][] {
  if (!raw) return [];
  const out: [string, string][] = [];
  for (const part of raw.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    let value = part.slice(i + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      /* kept as written */
    }
    if (HEADER_NAME.test(name) && value) out.push([name, value]);
  }
  return out;
}

/** The cost attributes of a recorded call (PR #443): the gateway's own figure, the catalogue's, or an estimate. */
export function costOfRecord(pricing: Pricing, rec: LedgerRecord): TelemetryCall['cost'] {
  const base = { amount: rec.cost, currency: rec.currency, usd: rec.costUsd };
  if (rec.costSource === 'gateway') return { ...base, source: 'gateway' };
  if (!pricing.entry(rec.provider, rec.model)) return undefined; // no price: no cost attribute
  // Estimated tokens, or a gateway model priced at the list price of the model its name maps to.
  const source: CostSource = rec.usageReported === false || pricing.priceNote(rec.provider, rec.model) ? 'estimate' : 'provider';
  return { ...base, source };
}

/** What a call through the pipeline (CallRunner) tells telemetry, with its ledger record. */
export interface PipelineCall extends Omit<OutcomeFacts, 'endMs' | 'recorded' | 'cost' | 'workspace' | 'captureContent'> {
  rec: LedgerRecord;
}

/** The telemetry facts of a call through the pipeline: the core's mapping, with this window's workspace and prices. */
export function pipelineCall(t: Telemetry, pricing: Pricing, p: PipelineCall): TelemetryCall {
  const { rec, ...facts } = p;
  return callFromOutcome({
    ...facts,
    endMs: Date.now(),
    recorded: { outcome: rec.outcome, usageReported: rec.usageReported !== false },
    cost: costOfRecord(pricing, rec),
    workspace: t.workspace(),
    captureContent: t.captureContent,
  });
}
