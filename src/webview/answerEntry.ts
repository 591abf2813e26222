/**
 * One answer of the answer panel as DOM: header with route and outcome badge, the streamed body, live figures,
 * notes and the action buttons. The body is drawn by `StreamView` (sanitised markdown); everything else is text.
 */
import { PROVIDER_LABELS } from '../core/types';
import type { AnswerOutcome, AnswerSnapshot, LiveMeta } from '../shared/protocol/answer';
import { mergeLive } from '../shared/protocol/answer';
import type { Sanitizer } from './sanitize';
import { StreamView, type FrameScheduler } from './streamView';
import { int as fmtInt, s } from './strings';

/** What an entry needs from the page. */
export interface EntryPorts {
  doc: Document;
  sanitizer: Sanitizer;
  schedule: FrameScheduler;
  now(): number;
}

/** An outcome as the badge and the screen reader say it. */
export function outcomeLabel(outcome: AnswerOutcome): string {
  return s(`answer.outcome.${outcome}`);
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One answer in the panel: its header, streamed body, figures, notes and action buttons. */
/** Gives a route part its label ("why:", "task:"), shown before it by the style sheet. */
function labelled(el: HTMLElement, label: string): HTMLElement {
  el.dataset.label = label;
  return el;
}

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
      h('span', `badge tier tier-${m.tier}`, s(`tier.${m.tier}`)),
      labelled(h('span', 'route-reason', m.reason), s('answer.route.why')),
      labelled(h('span', 'route-task', m.task), s('answer.route.task')),
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
    actions.setAttribute('aria-label', s('answer.actions'));
    const button = (action: string, label: string, tip: string) => {
      const b = h('button', 'action', label);
      b.type = 'button';
      b.dataset.answerAction = action;
      b.title = tip;
      actions.append(b);
      return b;
    };
    this.buttons = {
      stop: button('stop', s('answer.stop'), s('answer.stop.tip')),
      retry: button('retry', s('answer.retry'), s('answer.retry.tip')),
      escalate: button('escalate', s('answer.escalate'), s('answer.escalate.tip')),
      copyAll: button('copyAll', s('answer.copyAll'), s('answer.copyAll.tip')),
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
    const snap = this.snap;
    const state = snap.outcome ?? 'streaming';
    this.el.dataset.state = state;
    this.bodyEl.setAttribute('aria-busy', String(this.streaming));
    this.badgeEl.className = `badge outcome outcome-${state}`;
    this.badgeEl.textContent = snap.outcome ? outcomeLabel(snap.outcome) : s('answer.streaming');
    this.statusEl.textContent = snap.status ?? '';
    this.statusEl.hidden = !snap.status;
    this.errorEl.hidden = !snap.message;
    this.errorEl.textContent = snap.message ?? '';
    this.renderMeta();
    this.notesEl.replaceChildren(...(snap.live.notes ?? []).map((n) => {
      const li = this.ports.doc.createElement('li');
      li.textContent = n;
      return li;
    }));
    this.buttons.stop.hidden = !this.streaming;
    this.buttons.retry.hidden = this.streaming;
    this.buttons.escalate.hidden = this.streaming || snap.meta.tier === 'complex';
    this.buttons.copyAll.disabled = snap.text.length === 0;
  }

  private renderMeta(): void {
    const l = this.snap.live;
    const items: [string, string][] = [];
    const est = (n: number) => (l.estimated ? s('answer.meta.estimated', fmtInt(n)) : fmtInt(n));
    const tokens = (n: number, cost: string | undefined) => (cost ? s('answer.meta.tokensCost', fmtInt(n), cost) : s('answer.meta.tokens', fmtInt(n)));
    if (l.ttftMs !== undefined) items.push([s('answer.meta.firstToken'), formatMs(l.ttftMs)]);
    if (l.tokensPerSecond !== undefined) items.push([s('answer.meta.speed'), s('answer.meta.tokensPerSecond', l.tokensPerSecond.toFixed(1))]);
    if (l.inputTokens !== undefined) items.push([s('answer.meta.input'), est(l.inputTokens)]);
    if (l.outputTokens !== undefined) items.push([s('answer.meta.output'), est(l.outputTokens)]);
    if (l.cachedTokens) items.push([s('answer.meta.cacheRead'), tokens(l.cachedTokens, l.cacheSavings)]);
    if (l.cacheWriteTokens) items.push([s('answer.meta.cacheWrite'), tokens(l.cacheWriteTokens, l.cacheWriteCost)]);
    if (l.cost !== undefined) items.push([s('answer.meta.cost'), l.cost]);
    if (l.retries) items.push([s('answer.meta.retries'), String(l.retries)]);
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
