/**
 * The answer panel's UI, independent of the VS Code webview API (which `main.ts` wires in) so it runs under jsdom.
 * Newest answer on top: a new request is visible at once without scrolling, and earlier answers stay below, readable.
 */
import type { AnswerSnapshot, AnswerUpdate, AnswerViewRequest, HostToAnswerView } from '../shared/protocol/answer';
import type { ReplyMsg } from '../shared/protocol/common';
import type { PersistedState } from '../shared/persisted';
import { Entry, outcomeLabel, type EntryPorts } from './answerEntry';
import { s } from './strings';
import type { StreamView } from './streamView';

/** A request to the host without its sequence number (the app adds it). */
export type Request = AnswerViewRequest extends infer R ? (R extends AnswerViewRequest ? Omit<R, 'seq'> : never) : never;

export interface AppPorts extends EntryPorts {
  /** Post a message to the host (with `seq` already set). */
  post(msg: AnswerViewRequest | { type: 'ready'; seq: number }): void;
  /** Persist state across reloads (`vscode.setState`). */
  saveState(state: PersistedState): void;
  setTimer(cb: () => void, ms: number): unknown;
}

/** How many answers the panel keeps (oldest are dropped). */
export const MAX_ANSWERS = 50;

export class AnswerApp {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private readonly pending = new Map<number, (r: ReplyMsg) => void>();
  private saveQueued = false;
  private lastAnnounce = -Infinity;
  readonly live: HTMLElement;

  constructor(
    readonly root: HTMLElement,
    readonly ports: AppPorts,
  ) {
    const d = ports.doc;
    this.live = d.createElement('div');
    this.live.className = 'sr-only';
    this.live.setAttribute('aria-live', 'polite');
    this.live.setAttribute('role', 'status');
    this.list = d.createElement('div');
    this.list.className = 'answers';
    this.empty = d.createElement('p');
    this.empty.className = 'empty';
    this.empty.textContent = s('answer.empty');
    root.append(this.live, this.empty, this.list);
    root.addEventListener('click', (e) => this.onClick(e));
    root.addEventListener('keydown', (e) => {
      const k = (e as KeyboardEvent).key;
      const t = e.target as HTMLElement | null;
      if ((k === 'Enter' || k === ' ') && t?.classList?.contains('md-link')) {
        e.preventDefault();
        this.onClick(e);
      }
    });
  }

  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;

  /** Tell the host the webview is listening (call once, after restoring local state). */
  ready(): void {
    this.ports.post({ type: 'ready', seq: this.seq++ });
  }

  /** Send a request; resolves with the host's reply. */
  request(msg: Request): Promise<ReplyMsg> {
    const seq = this.seq++;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.ports.post({ ...msg, seq } as AnswerViewRequest);
    });
  }

  /** Ids of the answers shown, newest first. */
  get ids(): string[] {
    return Array.from(this.list.children).map((c) => (c as HTMLElement).dataset.id ?? '');
  }

  entry(id: string): { el: HTMLElement; snap: AnswerSnapshot; view: StreamView } | undefined {
    return this.entries.get(id);
  }

  handle(msg: HostToAnswerView): void {
    switch (msg.type) {
      case 'batch':
        for (const u of msg.updates) this.update(u);
        break;
      case 'state.restore':
        this.restore(msg.answers);
        break;
      case 'reply':
        this.pending.get(msg.seq)?.(msg);
        this.pending.delete(msg.seq);
        return;
      default:
        this.update(msg);
    }
    // An answer that starts or ends is saved at once (a reload right after must not lose it); deltas are batched.
    const updates = msg.type === 'batch' ? msg.updates : [msg];
    if (updates.some((u) => u.type === 'answer.start' || u.type === 'answer.end')) this.saveNow();
    else this.queueSave();
  }

  private saveNow(): void {
    this.ports.saveState({ version: 1, answers: this.snapshots() });
  }

  /** Show these answers (oldest first), replacing what is shown. */
  restore(answers: AnswerSnapshot[]): void {
    this.entries.clear();
    this.list.replaceChildren();
    for (const a of answers.slice(-MAX_ANSWERS)) this.add(structuredClone(a));
    this.queueSave();
  }

  snapshots(): AnswerSnapshot[] {
    return Array.from(this.entries.values()).map((e) => e.snap);
  }

  private add(snap: AnswerSnapshot): Entry {
    this.entries.get(snap.id)?.el.remove();
    const e = new Entry(this.ports, snap);
    this.entries.set(snap.id, e);
    this.list.prepend(e.el);
    while (this.entries.size > MAX_ANSWERS) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.get(oldest)?.el.remove();
      this.entries.delete(oldest);
    }
    this.empty.hidden = true;
    return e;
  }

  private update(u: AnswerUpdate): void {
    if (u.type === 'answer.start') {
      this.add({ id: u.id, title: u.title, meta: u.meta, startedAt: u.startedAt, text: '', live: {} });
      this.announce(s('answer.started', u.title), true);
      return;
    }
    const e = this.entries.get(u.id);
    if (!e) return;
    switch (u.type) {
      case 'answer.delta':
        e.append(u.text);
        break;
      case 'answer.status':
        e.status(u.text);
        if (u.text) this.announce(u.text, false);
        break;
      case 'answer.meta':
        e.meta(u.meta);
        break;
      case 'answer.end': {
        e.end(u.outcome, u.message, u.meta);
        const label = outcomeLabel(u.outcome);
        const what = sentence(u.message ? s('answer.endedWithMessage', e.snap.title, label, u.message) : s('answer.ended', e.snap.title, label));
        const text = e.snap.text.length > 600 ? `${e.snap.text.slice(0, 600)}…` : e.snap.text;
        this.announce(u.outcome === 'done' ? `${what} ${text}` : what, true);
        break;
      }
    }
  }

  /** Screen readers hear starts and ends, and at most one status line every 3 s, never individual tokens. */
  private announce(text: string, always: boolean): void {
    const now = this.ports.now();
    if (!always && now - this.lastAnnounce < 3000) return;
    this.lastAnnounce = now;
    this.live.textContent = text;
  }

  private queueSave(): void {
    if (this.saveQueued) return;
    this.saveQueued = true;
    this.ports.setTimer(() => {
      this.saveQueued = false;
      this.ports.saveState({ version: 1, answers: this.snapshots() });
    }, 500);
  }

  private onClick(ev: Event): void {
    const target = ev.target as Element | null;
    if (!target || typeof target.closest !== 'function') return;
    const codeBtn = target.closest<HTMLElement>('[data-code-action]');
    if (codeBtn) {
      const code = codeBtn.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
      const action = codeBtn.dataset.codeAction;
      const id = codeBtn.closest<HTMLElement>('article.answer')?.dataset.id;
      if (code && action === 'copy') this.feedback(codeBtn, this.request({ type: 'copy', text: code }), s('answer.copied'));
      else if (code && (action === 'insert' || action === 'replace')) {
        this.feedback(codeBtn, this.request(id ? { type: action, text: code, id } : { type: action, text: code }), s('answer.applied'));
      }
      return;
    }
    const link = target.closest<HTMLElement>('.md-link');
    if (link?.dataset.href) {
      this.feedback(link, this.request({ type: 'copy', text: link.dataset.href }), undefined, s('answer.linkCopied'));
      return;
    }
    const btn = target.closest<HTMLElement>('[data-answer-action]');
    const id = btn?.closest<HTMLElement>('article.answer')?.dataset.id;
    if (!btn || !id) return;
    const entry = this.entries.get(id);
    switch (btn.dataset.answerAction) {
      case 'stop':
      case 'retry':
      case 'escalate':
        void this.request({ type: btn.dataset.answerAction, id });
        break;
      case 'copyAll':
        if (entry?.snap.text) this.feedback(btn, this.request({ type: 'copy', text: entry.snap.text }), s('answer.copied'));
        break;
    }
  }

  /** Show the outcome of a request on its button for a moment (and announce it politely). */
  private feedback(el: HTMLElement, reply: Promise<ReplyMsg>, okLabel?: string, announce?: string): void {
    void reply.then((r) => {
      if (announce || !r.ok) this.announce(r.ok ? (announce ?? '') : s('common.failed', r.error ?? s('common.unknownError')), true);
      if (!okLabel || el.tagName !== 'BUTTON') return;
      const before = el.textContent;
      el.textContent = r.ok ? okLabel : s('answer.failed');
      this.ports.setTimer(() => (el.textContent = before), 1500);
    });
  }
}

/**
 * Ends a summary with one full stop: "Done. The answer reached max_tokens." never "…max_tokens..". A sentence
 * that already ends in a Chinese full stop, question or exclamation mark gets none either.
 */
export function sentence(text: string): string {
  const t = text.trimEnd();
  if (/[.!?…。！？]$/.test(t)) return t;
  // Chinese (or Japanese) text ends with a full-width full stop.
  return /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]$/.test(t) ? `${t}。` : `${t}.`;
}
