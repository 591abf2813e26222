/**
 * One answer of the answer panel as DOM: header with route and outcome badge, the streamed body, live figures,
 * notes and the action buttons. The body is drawn by `StreamView` (sanitised markdown); everything else is text.
 */
import { PROVIDER_LABELS } from '../core/types';
import type { AnswerOutcome, AnswerSnapshot, LiveMeta } from '../shared/protocol/answer';
import { mergeLive } from '../shared/protocol/answer';
import type { Sanitizer } from './sanitize';
import { StreamView, type FrameScheduler } from './streamView';

/** What an entry needs from the page. */
export interface EntryPorts {
  doc: Document;
  sanitizer: Sanitizer;
  schedule: FrameScheduler;
  now(): number;
}

export const OUTCOME_LABEL: Record<AnswerOutcome, string> = {
  done: 'Done',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted — partial answer kept',
  error: 'Error',
};

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One answer in the panel: its header, streamed body, figures, notes and action buttons. */
export class Entry {
  readonly el: HTMLElement;
  readonly view: StreamView;
  private readonly statusEl: HTMLElement;
  private readonly badgeEl: HTMLElement;
  private readonly metaEl: HTMLElement;
  private readonly notesEl: HTMLElement;
  private readonly errorEl: HTMLElement;
  private readonly bodyEl: HTMLElement;
  private readonly buttons: Record<'stop' | 'retry' | 'escalate' | 'copyAll', HTMLButtonElement>;

  constructor(
    private readonly ports: EntryPorts,
    readonly snap: AnswerSnapshot,
  ) {
    const d = ports.doc;
    const h = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
      const e = d.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    this.el = h('article', 'answer');
    this.el.dataset.id = snap.id;
    const titleId = `t-${snap.id}`;
    this.el.setAttribute('aria-labelledby', titleId);

    const header = h('header', 'answer-header');
    const title = h('h2', 'answer-title', snap.title);
    title.id = titleId;
    this.badgeEl = h('span', 'badge');
    const m = snap.meta;
    const route = h('div', 'answer-route');
    route.append(
      h('span', 'route-provider', PROVIDER_LABELS[m.provider] ?? m.provider),
      h('span', 'route-model', m.model),
      h('span', `badge tier tier-${m.tier}`, m.tier),
      h('span', 'route-reason', m.reason),
      h('span', 'route-task', m.task),
    );
    header.append(title, this.badgeEl, route);

    this.statusEl = h('div', 'answer-status');
    this.bodyEl = h('div', 'answer-body md');
    this.errorEl = h('div', 'answer-error');
    this.errorEl.hidden = true;
    this.metaEl = h('dl', 'answer-meta');
    this.notesEl = h('ul', 'answer-notes');

    const actions = h('div', 'answer-actions');
    actions.setAttribute('role', 'toolbar');
    actions.setAttribute('aria-label', 'Answer actions');
    const button = (action: string, label: string, tip: string) => {
      const b = h('button', 'action', label);
      b.type = 'button';
      b.dataset.answerAction = action;
      b.title = tip;
      actions.append(b);
      return b;
    };
    this.buttons = {
      stop: button('stop', 'Stop', 'Cancel the request'),
      retry: button('retry', 'Retry', 'Ask again with the same model'),
      escalate: button('escalate', 'Escalate', 'Ask again one tier up'),
      copyAll: button('copyAll', 'Copy answer', 'Copy the whole answer as markdown'),
    };
    this.el.append(header, this.statusEl, this.bodyEl, this.errorEl, this.metaEl, this.notesEl, actions);
    this.view = new StreamView(this.bodyEl, ports.sanitizer, ports.schedule, () => ports.now());
    if (snap.text) this.view.append(snap.text);
    this.render();
    if (snap.outcome) this.view.finish();
  }

  get streaming(): boolean {
    return this.snap.outcome === undefined;
  }

  append(text: string): void {
    this.snap.text += text;
    this.view.append(text);
  }

  status(text: string): void {
    this.snap.status = text || undefined;
    this.render();
  }

  meta(m: LiveMeta): void {
    this.snap.live = mergeLive(this.snap.live, m);
    this.render();
  }

  end(outcome: AnswerOutcome, message?: string, meta?: LiveMeta): void {
    this.snap.outcome = outcome;
    if (message !== undefined) this.snap.message = message;
    if (meta) this.snap.live = mergeLive(this.snap.live, meta);
    this.snap.status = undefined;
    this.view.finish();
    this.render();
  }

  /** Update everything but the body from the snapshot. */
  render(): void {
    const s = this.snap;
    const state = s.outcome ?? 'streaming';
    this.el.dataset.state = state;
    this.bodyEl.setAttribute('aria-busy', String(this.streaming));
    this.badgeEl.className = `badge outcome outcome-${state}`;
    this.badgeEl.textContent = s.outcome ? OUTCOME_LABEL[s.outcome] : 'Streaming…';
    this.statusEl.textContent = s.status ?? '';
    this.statusEl.hidden = !s.status;
    this.errorEl.hidden = !s.message;
    this.errorEl.textContent = s.message ?? '';
    this.renderMeta();
    this.notesEl.replaceChildren(...(s.live.notes ?? []).map((n) => {
      const li = this.ports.doc.createElement('li');
      li.textContent = n;
      return li;
    }));
    this.buttons.stop.hidden = !this.streaming;
    this.buttons.retry.hidden = this.streaming;
    this.buttons.escalate.hidden = this.streaming || s.meta.tier === 'complex';
    this.buttons.copyAll.disabled = s.text.length === 0;
  }

  private renderMeta(): void {
    const l = this.snap.live;
    const items: [string, string][] = [];
    const est = l.estimated ? ' (est.)' : '';
    if (l.ttftMs !== undefined) items.push(['First token', formatMs(l.ttftMs)]);
    if (l.tokensPerSecond !== undefined) items.push(['Speed', `${l.tokensPerSecond.toFixed(1)} tok/s`]);
    if (l.inputTokens !== undefined) items.push(['Input', `${fmtInt(l.inputTokens)}${est}`]);
    if (l.outputTokens !== undefined) items.push(['Output', `${fmtInt(l.outputTokens)}${est}`]);
    if (l.cachedTokens) items.push(['Cache read', `${fmtInt(l.cachedTokens)} tokens${l.cacheSavings ? `, ${l.cacheSavings}` : ''}`]);
    if (l.cacheWriteTokens) items.push(['Cache write', `${fmtInt(l.cacheWriteTokens)} tokens${l.cacheWriteCost ? `, ${l.cacheWriteCost}` : ''}`]);
    if (l.cost !== undefined) items.push(['Cost', l.cost]);
    if (l.retries) items.push(['Retries', String(l.retries)]);
    const d = this.ports.doc;
    const nodes: HTMLElement[] = [];
    for (const [k, v] of items) {
      const wrap = d.createElement('div');
      const dt = d.createElement('dt');
      dt.textContent = k;
      const dd = d.createElement('dd');
      dd.textContent = v;
      wrap.append(dt, dd);
      nodes.push(wrap);
    }
    this.metaEl.replaceChildren(...nodes);
  }
}
