import assert from 'node:assert/strict';
import { createSanitizer, type Sanitizer } from '../../../src/webview/sanitize';
import { StreamView } from '../../../src/webview/streamView';
import { getMarkdown } from '../../../src/webview/markdown';
import { makeWindow } from './dom';

/** A sanitizer that counts its calls. */
function counting(inner: Sanitizer): Sanitizer & { calls: number } {
  const s = {
    calls: 0,
    html: (d: string) => inner.html(d),
    fragment: (d: string) => {
      s.calls++;
      return inner.fragment(d);
    },
  };
  return s;
}

function setup() {
  const win = makeWindow();
  const doc = win.document;
  const sanitizer = counting(createSanitizer(win));
  let frames: (() => void)[] = [];
  const schedule = (cb: () => void) => void frames.push(cb);
  const run = () => {
    const f = frames;
    frames = [];
    for (const cb of f) cb();
  };
  let t = 0;
  const el = doc.createElement('div');
  doc.body.append(el);
  const view = new StreamView(el, sanitizer, schedule, () => t);
  const advance = (ms: number) => (t += ms);
  return { doc, el, view, sanitizer, run, advance };
}

describe('StreamView commits', () => {
  it('holds finished prose (shown at once, provisionally) and commits it with the next code fence, highlighted as it closes', () => {
    const { el, view, sanitizer, run, advance } = setup();
    const prose = '# Title\n\nA paragraph with a [link](https://example.com/a).\n\n- one\n- two\n\n';
    for (const line of prose.split(/(?<=\n)/)) {
      view.append(line);
      run();
      advance(100);
    }
    assert.equal(sanitizer.calls, 0, 'finished prose is held, not sanitised block by block');
    assert.match(el.textContent ?? '', /Title[\s\S]*A paragraph with a link[\s\S]*one[\s\S]*two/);
    assert.equal(el.querySelectorAll('[href], [data-href]').length, 0, 'a held link is not actionable yet');

    view.append('```ts\nconst a = 1;\n');
    run();
    assert.ok(el.querySelector('.code-block.streaming'), 'the open fence is shown as a plain code block');
    assert.equal(sanitizer.calls, 0);
    view.append('```\n');
    run();
    assert.equal(sanitizer.calls, 1, 'one DOMPurify call for the held prose and the closed fence together');
    assert.equal(el.querySelector('.code-block.streaming'), null);
    assert.ok(el.querySelector('.code-block code .hljs-keyword'), 'highlighted in the frame the fence closed');
    assert.equal(el.querySelector('.md-link')?.getAttribute('data-href'), 'https://example.com/a');

    view.append('Tail text.');
    run();
    view.finish();
    const md = getMarkdown();
    const expected = createSanitizer(makeWindow()).html(md.render(`${prose}\`\`\`ts\nconst a = 1;\n\`\`\`\nTail text.`));
    assert.equal(el.innerHTML, expected);
  });

  it('commits held prose once it is ten seconds old', () => {
    const { el, view, sanitizer, run, advance } = setup();
    view.append('First paragraph.\n\nSecond paragraph,\nstill open');
    run();
    assert.equal(sanitizer.calls, 0);
    advance(10_500);
    view.append(' and growing.');
    run();
    assert.equal(sanitizer.calls, 1);
    assert.equal(el.firstElementChild?.outerHTML, '<p>First paragraph.</p>');
    assert.match(el.textContent ?? '', /Second paragraph,\s+still open and growing\.$/);
  });

  it('shows raw text after a blank line in a new element, not inside the block before it', () => {
    const { el, view, run, advance } = setup();
    view.append('A first paragraph that is long enough to be shown formatted at once, with `code`.');
    run();
    advance(10);
    view.append('\n\nNext');
    run();
    view.append(' block');
    run();
    const ps = Array.from(el.querySelectorAll('p'));
    assert.equal(ps.length, 2);
    assert.match(ps[0].textContent ?? '', /^A first paragraph/);
    assert.equal(ps[1].textContent, 'Next block');
  });
});
