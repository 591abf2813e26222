/**
 * The answer panel on the host side: one webview panel (`tierwise.answers`) showing every answer, streaming.
 *
 * The host keeps the model (one `AnswerSnapshot` per answer, updated synchronously by the handles) and the webview
 * draws it: whenever the webview (re)starts it says `ready` and receives the whole model as `state.restore`;
 * after that it receives coalesced updates, at most one message per frame. A serializer brings the panel back after
 * a window reload from what the webview stored with `setState`.
 */
import * as vscode from 'vscode';
import type { AnswerMeta, AnswerOutcome, AnswerSnapshot, AnswerViewToHost, HostToAnswerView, LiveMeta } from '../../shared/protocol/answer';
import { ANSWER_VIEW_TYPE, mergeLive, parseAnswerViewMessage } from '../../shared/protocol/answer';
import { revivePersisted } from '../../shared/persisted';
import type { WebviewChannel } from './channel';
import { UpdateCoalescer, type TimerPort, systemTimers } from './coalescer';
import { ChannelPanel } from './panelHost';

export type { AnswerMeta, AnswerOutcome, LiveMeta } from '../../shared/protocol/answer';

export interface AnswerTarget {
  uri: vscode.Uri;
  selection: vscode.Selection;
}

export interface AnswerPanelHandlers {
  onStop(id: string): unknown;
  onRetry(id: string): unknown;
  onEscalate(id: string): unknown;
  /** Override inserting code; by default it goes to the answer's editor at its cursor. */
  onInsert?(text: string, target: AnswerTarget | undefined): unknown;
  /** Override replacing; by default the answer's editor's selection is replaced. */
  onReplace?(text: string, target: AnswerTarget | undefined): unknown;
  /** Diagnostics (invalid messages from the webview). */
  log?(message: string): void;
}

export interface AnswerInit {
  title: string;
  meta: AnswerMeta;
  /** The editor and selection the answer belongs to; defaults to the active (or last active) text editor. */
  target?: AnswerTarget;
}

/** Write side of one answer. Calls after `end` are ignored. */
export interface AnswerHandle {
  readonly id: string;
  /** Append streamed text. */
  append(text: string): void;
  /** One status line ("queued (rate limit)", "429 rate limited, retrying in 2.0 s, attempt 2 of 4"…); '' clears. */
  status(text: string): void;
  /** Live figures: defined fields replace, `notes` are appended. */
  meta(m: Partial<LiveMeta>): void;
  /** Finish the answer; the text so far is kept whatever the outcome. */
  end(outcome: AnswerOutcome, message?: string, finalMeta?: Partial<LiveMeta>): void;
  readonly ended: boolean;
}

const MAX_KEPT = 50;

export class AnswerPanel extends ChannelPanel<HostToAnswerView, AnswerViewToHost> {
  private readonly answers = new Map<string, AnswerSnapshot>();
  private readonly targets = new Map<string, AnswerTarget>();
  private readonly coalescer: UpdateCoalescer;
  private lastEditor: vscode.TextEditor | undefined;
  private counter = 0;

  /** Create the panel controller and register its serializer; the caller disposes it (once). */
  static register(context: vscode.ExtensionContext, handlers: AnswerPanelHandlers): AnswerPanel {
    return new AnswerPanel(context.extensionUri, handlers);
  }

  constructor(
    extensionUri: vscode.Uri,
    private readonly handlers: AnswerPanelHandlers,
    timers: TimerPort = systemTimers,
  ) {
    super(
      extensionUri,
      { viewType: ANSWER_VIEW_TYPE, title: vscode.l10n.t('Tierwise Answers'), column: vscode.ViewColumn.Beside, preserveFocus: true, icon: 'icon.png', restorable: true },
      { bundle: 'webview', parse: parseAnswerViewMessage, logName: 'answer panel', log: (m) => handlers.log?.(m) },
    );
    // Before `ready` nothing is sent: the webview gets the whole model as `state.restore` when it is ready.
    this.coalescer = this.subs.add(
      new UpdateCoalescer((m) => {
        if (this.channel?.ready) this.channel.post(m);
      }, timers),
    );
    this.lastEditor = vscode.window.activeTextEditor;
    this.subs.add(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.lastEditor = e;
      }),
    );
  }

  /** Messages posted to the webview so far (at most one per frame while answers stream). */
  get postedMessages(): number {
    return this.coalescer.posted;
  }

  /** Updates the handles produced (what would have been posted without coalescing). */
  get updates(): number {
    return this.coalescer.pushed;
  }

  /** Show the panel beside the editor without taking focus (creating it if needed). */
  reveal(): void {
    this.open();
  }

  /** Start a new answer: reveals the panel and returns the handle to stream into. */
  start(init: AnswerInit): AnswerHandle {
    const id = `a${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
    const snap: AnswerSnapshot = { id, title: init.title, meta: { ...init.meta }, startedAt: Date.now(), text: '', live: {} };
    this.answers.set(id, snap);
    this.trim();
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    const target = init.target ?? (editor ? { uri: editor.document.uri, selection: editor.selection } : undefined);
    if (target) this.targets.set(id, target);
    this.reveal();
    this.coalescer.push({ type: 'answer.start', id, title: snap.title, meta: snap.meta, startedAt: snap.startedAt });
    return this.handle(snap);
  }

  /** Snapshot of an answer (text so far, meta, outcome). */
  get(id: string): AnswerSnapshot | undefined {
    const a = this.answers.get(id);
    return a && structuredClone(a);
  }

  /** Snapshot of the most recently started answer. */
  latest(): AnswerSnapshot | undefined {
    const last = [...this.answers.values()].at(-1);
    return last && structuredClone(last);
  }

  protected override restoreState(state: unknown): void {
    for (const a of revivePersisted(state)) if (!this.answers.has(a.id)) this.answers.set(a.id, a);
    this.trim();
  }

  protected override onReady(channel: WebviewChannel<HostToAnswerView, AnswerViewToHost>): void {
    // The webview (re)started: send it the whole model instead of whatever was queued.
    this.coalescer.clear();
    channel.post({ type: 'state.restore', answers: [...this.answers.values()] });
  }

  private handle(snap: AnswerSnapshot): AnswerHandle {
    const push = this.coalescer.push.bind(this.coalescer);
    const id = snap.id;
    return {
      id,
      get ended() {
        return snap.outcome !== undefined;
      },
      append(text) {
        if (snap.outcome || !text) return;
        snap.text += text;
        push({ type: 'answer.delta', id, text });
      },
      status(text) {
        if (snap.outcome) return;
        if (text) snap.status = text;
        else delete snap.status;
        push({ type: 'answer.status', id, text });
      },
      meta(m) {
        if (snap.outcome) return;
        const clean = defined(m);
        snap.live = mergeLive(snap.live, clean);
        push({ type: 'answer.meta', id, meta: clean });
      },
      end(outcome, message, finalMeta) {
        if (snap.outcome) return;
        snap.outcome = outcome;
        delete snap.status;
        if (message) snap.message = message;
        const meta = finalMeta ? defined(finalMeta) : undefined;
        if (meta) snap.live = mergeLive(snap.live, meta);
        push({ type: 'answer.end', id, outcome, ...(message ? { message } : {}), ...(meta ? { meta } : {}) });
      },
    };
  }

  protected override async onRequest(msg: Exclude<AnswerViewToHost, { type: 'ready' }>): Promise<void> {
    switch (msg.type) {
      case 'stop':
        await this.handlers.onStop(msg.id);
        return;
      case 'retry':
        await this.handlers.onRetry(msg.id);
        return;
      case 'escalate':
        await this.handlers.onEscalate(msg.id);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        return;
      case 'insert':
      case 'replace': {
        const target = (msg.id && this.targets.get(msg.id)) || this.currentTarget();
        const custom = msg.type === 'insert' ? this.handlers.onInsert : this.handlers.onReplace;
        if (custom) await custom.call(this.handlers, msg.text, target);
        else await this.applyToEditor(msg.type, msg.text, target);
        return;
      }
    }
  }

  private currentTarget(): AnswerTarget | undefined {
    const e = this.lastEditor;
    return e && !e.document.isClosed ? { uri: e.document.uri, selection: e.selection } : undefined;
  }

  /** Insert at the cursor / replace the selection of the answer's editor (opening it again if it was closed). */
  private async applyToEditor(kind: 'insert' | 'replace', text: string, target: AnswerTarget | undefined): Promise<void> {
    if (!target) throw new Error(vscode.l10n.t('No text editor to put the code in. Open a file and try again.'));
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.uri.toString());
    const editor =
      visible ??
      (await vscode.window.showTextDocument(target.uri, { selection: target.selection, preserveFocus: false }));
    // The live selection if the editor is still open (the user may have moved it), else the remembered one.
    const sel = visible ? editor.selection : target.selection;
    const ok = await editor.edit((eb) => {
      if (kind === 'insert') eb.insert(sel.active, text);
      else eb.replace(sel, text);
    });
    if (!ok) throw new Error(vscode.l10n.t('The editor refused the edit.'));
  }

  private trim(): void {
    while (this.answers.size > MAX_KEPT) {
      const oldest = this.answers.keys().next().value as string;
      this.answers.delete(oldest);
      this.targets.delete(oldest);
    }
  }
}

/** Drop absent values and numbers the webview would reject (NaN, Infinity, negative). */
function defined(m: Partial<LiveMeta>): LiveMeta {
  return Object.fromEntries(
    Object.entries(m).filter(([, v]) => v !== undefined && (typeof v !== 'number' || (Number.isFinite(v) && v >= 0))),
  ) as LiveMeta;
}
