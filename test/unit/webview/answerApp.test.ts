import assert from 'node:assert/strict';
import { AnswerApp, sentence } from '../../../src/webview/answerApp';
import { createSanitizer } from '../../../src/webview/sanitize';
import { StreamView } from '../../../src/webview/streamView';
import { getMarkdown } from '../../../src/webview/markdown';
import type { PersistedState } from '../../../src/shared/persisted';
import type { AnswerViewRequest } from '../../../src/shared/protocol';
import { DOCS, META } from './fixtures';
import { makeWindow } from './dom';
import { mulberry32 as prng, randomChunks } from '../../helpers/random';

/** Animation frames driven by the test. */
class Frames {
  private cbs: (() => void)[] = [];
  schedule = (cb: () => void) => void this.cbs.push(cb);
  run(): void {
    const cbs = this.cbs;
    this.cbs = [];
    for (const cb of cbs) cb();
  }
  get pending(): number {
    return this.cbs.length;
  }
}

function setup() {
  const win = makeWindow();
  const doc = win.document;
  const frames = new Frames();
  const posted: (AnswerViewRequest | { type: 'ready'; seq: number })[] = [];
  const saved: PersistedState[] = [];
  const timers: (() => void)[] = [];
  const sanitizer = createSanitizer(win);
  const app = new AnswerApp(doc.body, {
    doc,
    sanitizer,
    schedule: frames.schedule,
    post: (m) => posted.push(m),
    saveState: (s) => saved.push(structuredClone(s)),
    setTimer: (cb) => timers.push(cb),
    now: () => 0,
  });
  const runTimers = () => timers.splice(0).forEach((t) => t());
  return { win, doc, frames, posted, saved, app, sanitizer, runTimers };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('StreamView (DOM)', function () {
  this.timeout(30_000);
  it('ends with exactly the sanitised one-shot render, whatever the chunking and frame timing', () => {
    const { doc, frames, sanitizer } = setup();
    const md = getMarkdown();
    for (const [name, text] of Object.entries(DOCS)) {
      const expected = sanitizer.html(md.render(text));
      for (let seed = 1; seed <= 6; seed++) {
        const rand = prng(seed * 7 + name.length);
        const el = doc.createElement('div');
        const view = new StreamView(el, sanitizer, frames.schedule);
        for (const c of randomChunks(text, rand, 20)) {
          view.append(c);
          if (rand() < 0.5) frames.run();
        }
        view.finish();
        frames.run();
        assert.equal(el.innerHTML, expected, `${name} seed ${seed}`);
      }
    }
  });

  it('renders at most once per frame and shows streamed text before the end', () => {
    const { doc, frames, sanitizer } = setup();
    const el = doc.createElement('div');
    const view = new StreamView(el, sanitizer, frames.schedule);
    let renders = 0;
    view.onRender = () => renders++;
    for (const w of 'Hello streaming world, word by word.'.split(' ')) view.append(`${w} `);
    assert.equal(frames.pending, 1);
    frames.run();
    assert.equal(renders, 1);
    assert.match(el.textContent ?? '', /Hello streaming world/);
  });
});

describe('StreamView display of the open tail', () => {
  it('shows an open code block as plain text at once, never parsing it as HTML, then highlights it when closed', () => {
    const { doc, frames, sanitizer } = setup();
    const el = doc.createElement('div');
    const view = new StreamView(el, sanitizer, frames.schedule, () => 0);
    view.append('Intro.\n\n```html\n<img src=x onerror=alert(1)>\n');
    frames.run();
    view.append('<script>alert(2)</script>');
    frames.run();
    const block = el.querySelector('.code-block.streaming')!;
    assert.equal(block.querySelector('.code-lang')!.textContent, 'html');
    assert.equal(block.querySelector('code')!.textContent, '<img src=x onerror=alert(1)>\n<script>alert(2)</script>');
    assert.equal(el.querySelectorAll('img, script').length, 0);
    assert.ok(block.querySelector('[data-code-action="insert"]'));
    view.append('\n```\n');
    frames.run();
    assert.equal(el.querySelector('.code-block.streaming'), null);
    assert.ok(el.querySelector('.code-block code .hljs-tag'));
    assert.equal(el.querySelectorAll('img, script').length, 0);
  });

  it('appends raw text between markdown renders of the tail, as text only', () => {
    const { doc, frames, sanitizer } = setup();
    const el = doc.createElement('div');
    let t = 0;
    const view = new StreamView(el, sanitizer, frames.schedule, () => t);
    let formatted = 0;
    view.onRender = (i) => (formatted += i.tailChars > 0 ? 1 : 0);
    const words = 'A paragraph with **bold** words and <b onclick=x()>tags</b> that keeps growing as tokens arrive'.split(' ');
    for (const w of words) {
      view.append(`${w} `);
      frames.run();
      t += 20;
    }
    assert.equal(el.textContent!.replace(/\s+/g, ' ').trim().replace(/\*\*/g, ''), words.join(' ').replace(/\*\*/g, ''));
    assert.equal(el.querySelectorAll('b, [onclick]').length, 0);
    assert.ok(formatted >= 1 && formatted <= 4, `${formatted} markdown renders for ${words.length} frames`);
  });
});

describe('AnswerApp (DOM)', () => {
  it('streams several answers at once, newest on top, with live meta and outcomes', () => {
    const { doc, frames, app } = setup();
    app.handle({ type: 'answer.start', id: 'a1', title: 'Explain parse()', meta: { ...META }, startedAt: 1 });
    app.handle({ type: 'answer.start', id: 'a2', title: 'Refactor', meta: { ...META, tier: 'complex', provider: 'anthropic', model: 'claude-sonnet-4' }, startedAt: 2 });
    assert.deepEqual(app.ids, ['a2', 'a1']);
    app.handle({
      type: 'batch',
      updates: [
        { type: 'answer.delta', id: 'a1', text: 'First **answer**' },
        { type: 'answer.delta', id: 'a2', text: 'Second' },
        { type: 'answer.status', id: 'a2', text: '429 rate limited, retrying in 2.0 s, attempt 2 of 4' },
        { type: 'answer.meta', id: 'a1', meta: { ttftMs: 412, tokensPerSecond: 61.25, inputTokens: 1200, outputTokens: 40, cachedTokens: 1024, cost: '$0.0031' } },
        { type: 'answer.meta', id: 'a2', meta: { inputTokens: 5000, cacheWriteTokens: 4300, cacheWriteCost: '$0.0161, $0.0032 above the input price' } },
      ],
    });
    frames.run();
    const a1 = doc.querySelector<HTMLElement>('article[data-id="a1"]')!;
    const a2 = doc.querySelector<HTMLElement>('article[data-id="a2"]')!;
    assert.match(a1.querySelector('.answer-body')!.textContent!, /First \*\*answer\*\*/); // shown at once, formatted later
    assert.equal(a2.querySelector('.answer-status')?.textContent, '429 rate limited, retrying in 2.0 s, attempt 2 of 4');
    const meta = a1.querySelector('.answer-meta')!.textContent!;
    for (const s of ['412 ms', '61.3 tok/s', '1,200', 'Cache read1,024 tokens', '$0.0031']) assert.ok(meta.includes(s), `${s} in ${meta}`);
    const meta2 = a2.querySelector('.answer-meta')!.textContent!;
    assert.ok(meta2.includes('Cache write4,300 tokens, $0.0161, $0.0032 above the input price'), meta2);
    assert.ok(!meta2.includes('Cache read'), meta2);
    assert.match(a1.querySelector('.route-provider')!.textContent!, /OpenAI/);
    assert.equal(a1.querySelector('.answer-body')!.getAttribute('aria-busy'), 'true');
    // Streaming: Stop is offered, Retry/Escalate are not.
    const btn = (a: HTMLElement, action: string) => a.querySelector<HTMLButtonElement>(`[data-answer-action="${action}"]`)!;
    assert.equal(btn(a1, 'stop').hidden, false);
    assert.equal(btn(a1, 'retry').hidden, true);

    app.handle({ type: 'answer.end', id: 'a2', outcome: 'interrupted', message: 'The stream broke after 2 s.', meta: { outputTokens: 3 } });
    app.handle({ type: 'answer.end', id: 'a1', outcome: 'done', meta: { cost: '$0.0040' } });
    assert.equal(a2.dataset.state, 'interrupted');
    assert.match(a2.querySelector('.badge.outcome')!.textContent!, /partial answer kept/);
    assert.equal(a2.querySelector('.answer-error')!.textContent, 'The stream broke after 2 s.');
    assert.equal(a2.querySelector('.answer-body')!.textContent!.trim(), 'Second'); // partial text kept
    assert.equal(a2.querySelector('.answer-status')!.hasAttribute('hidden'), true);
    assert.equal(btn(a2, 'escalate').hidden, true); // already on the top tier
    assert.equal(btn(a1, 'escalate').hidden, false);
    assert.equal(btn(a1, 'stop').hidden, true);
    assert.match(a1.querySelector('.answer-meta')!.textContent!, /\$0\.0040/);
    assert.equal(a1.querySelector('.answer-body')!.getAttribute('aria-busy'), 'false');
    assert.equal(a1.querySelector('.answer-body strong')?.textContent, 'answer');
  });

  it('announces starts and ends politely, never individual tokens', () => {
    const { frames, app } = setup();
    assert.equal(app.live.getAttribute('aria-live'), 'polite');
    app.handle({ type: 'answer.start', id: 'a1', title: 'Explain', meta: { ...META }, startedAt: 1 });
    assert.match(app.live.textContent!, /Answer started: Explain/);
    app.handle({ type: 'answer.delta', id: 'a1', text: 'token by token' });
    frames.run();
    assert.match(app.live.textContent!, /Answer started/);
    app.handle({ type: 'answer.end', id: 'a1', outcome: 'done' });
    assert.match(app.live.textContent!, /Explain: Done\. token by token/);
    app.handle({ type: 'answer.start', id: 'a2', title: 'Review', meta: { ...META }, startedAt: 2 });
    app.handle({ type: 'answer.end', id: 'a2', outcome: 'error', message: 'OpenAI rejected the API key (401).' });
    assert.equal(app.live.textContent, 'Review: Error. OpenAI rejected the API key (401).');
    assert.equal(sentence('Done'), 'Done.');
    assert.equal(sentence('Done. Stopped…'), 'Done. Stopped…');
  });

  it('sends stop/retry/escalate and code actions with sequence numbers, and shows the reply', async () => {
    const { doc, frames, app, posted, runTimers } = setup();
    app.ready();
    app.handle({ type: 'answer.start', id: 'a1', title: 'Code', meta: { ...META }, startedAt: 1 });
    app.handle({ type: 'answer.delta', id: 'a1', text: 'Here:\n\n```ts\nconst x = 1 < 2;\n```\n' });
    frames.run();
    const click = (el: Element) => el.dispatchEvent(new (doc.defaultView as unknown as typeof globalThis).MouseEvent('click', { bubbles: true }));
    click(doc.querySelector('[data-answer-action="stop"]')!);
    const copy = doc.querySelector<HTMLButtonElement>('[data-code-action="copy"]')!;
    click(copy);
    click(doc.querySelector('[data-code-action="replace"]')!);
    assert.deepEqual(posted, [
      { type: 'ready', seq: 0 },
      { type: 'stop', seq: 1, id: 'a1' },
      { type: 'copy', seq: 2, text: 'const x = 1 < 2;\n' },
      { type: 'replace', seq: 3, text: 'const x = 1 < 2;\n', id: 'a1' },
    ]);
    app.handle({ type: 'reply', seq: 2, ok: true });
    await tick();
    assert.equal(copy.textContent, 'Copied');
    runTimers();
    assert.equal(copy.textContent, 'Copy');
    app.handle({ type: 'reply', seq: 3, ok: false, error: 'No text editor to put the code in.' });
    await tick();
    assert.match(app.live.textContent!, /Failed: No text editor/);

    app.handle({ type: 'answer.end', id: 'a1', outcome: 'cancelled', message: 'Stopped. The partial answer is kept.' });
    click(doc.querySelector('[data-answer-action="retry"]')!);
    click(doc.querySelector('[data-answer-action="escalate"]')!);
    assert.deepEqual(posted.slice(4), [
      { type: 'retry', seq: 4, id: 'a1' },
      { type: 'escalate', seq: 5, id: 'a1' },
    ]);
  });

  it('saves its state and restores it (the webview side of surviving a reload)', () => {
    const first = setup();
    first.app.handle({ type: 'answer.start', id: 'a1', title: 'One', meta: { ...META }, startedAt: 1 });
    first.app.handle({ type: 'answer.delta', id: 'a1', text: '# Title\n\nbody' });
    first.app.handle({ type: 'answer.end', id: 'a1', outcome: 'done', meta: { cost: '$0.01' } });
    first.app.handle({ type: 'answer.start', id: 'a2', title: 'Two', meta: { ...META }, startedAt: 2 });
    first.runTimers();
    const state = first.saved.at(-1)!;
    assert.equal(state.answers.length, 2);
    assert.equal(state.answers[0].text, '# Title\n\nbody');

    const second = setup();
    second.app.handle({ type: 'state.restore', answers: state.answers });
    second.frames.run();
    assert.deepEqual(second.app.ids, ['a2', 'a1']);
    const a1 = second.doc.querySelector('article[data-id="a1"]')!;
    assert.equal(a1.querySelector('.answer-body h1')?.textContent, 'Title');
    assert.match(a1.querySelector('.answer-meta')!.textContent!, /\$0\.01/);
    // a2 was still streaming in the restored model: more text continues it.
    second.app.handle({ type: 'answer.delta', id: 'a2', text: 'continued' });
    second.frames.run();
    assert.equal(second.doc.querySelector('article[data-id="a2"] .answer-body')!.textContent!.trim(), 'continued');
  });

  it('links are not navigable: Enter or a click copies their address', () => {
    const { doc, frames, app, posted } = setup();
    app.handle({ type: 'answer.start', id: 'a1', title: 'Links', meta: { ...META }, startedAt: 1 });
    app.handle({ type: 'answer.delta', id: 'a1', text: 'See [the docs](https://example.com/docs).' });
    app.handle({ type: 'answer.end', id: 'a1', outcome: 'done' });
    frames.run();
    const link = doc.querySelector<HTMLElement>('.md-link')!;
    assert.equal(link.getAttribute('href'), null);
    assert.equal(link.getAttribute('tabindex'), '0');
    const win = doc.defaultView as unknown as typeof globalThis;
    link.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    assert.deepEqual(posted.at(-1), { type: 'copy', seq: 0, text: 'https://example.com/docs' });
  });

  it('ignores updates for unknown answers and renders model text as inert markup', () => {
    const { doc, frames, app } = setup();
    app.handle({ type: 'answer.delta', id: 'nope', text: 'x' });
    app.handle({ type: 'answer.start', id: 'a1', title: '<img src=x onerror=alert(1)>', meta: { ...META, model: '<b>m</b>' }, startedAt: 1 });
    app.handle({ type: 'answer.delta', id: 'a1', text: '<script>alert(1)</script> [x](javascript:alert(1)) ![p](https://evil.example/p.png)' });
    frames.run();
    assert.equal(doc.querySelectorAll('script, img, b, [href]').length, 0);
    assert.equal(doc.querySelector('.answer-title')!.textContent, '<img src=x onerror=alert(1)>');
  });
});
