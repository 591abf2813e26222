import assert from 'node:assert/strict';
import { IncrementalMarkdown } from '../../../src/webview/incremental';
import { getMarkdown } from '../../../src/webview/markdown';
import { DOCS } from './fixtures';
import { mulberry32 as prng, randomChunks } from '../../helpers/random';

function streamed(text: string, chunks: string[], stepEvery: (i: number) => boolean): string {
  const inc = new IncrementalMarkdown();
  const md = getMarkdown();
  let committed = '';
  chunks.forEach((c, i) => {
    inc.append(c);
    if (stepEvery(i)) {
      const wantTail = i % 3 !== 0;
      const s = inc.step(wantTail);
      committed += s.committed;
      assert.ok(inc.tailLength <= inc.source.length);
      // The tail tokens are those of the text after the committed blocks: committed + tail is the render so far.
      if (wantTail) assert.equal(committed + md.renderer.render(s.tail ?? [], md.options, {}), md.render(inc.slice(0)), `after chunk ${i}`);
    }
  });
  const s = inc.finish();
  committed += s.committed;
  assert.deepEqual(s.tail, []);
  assert.equal(inc.source.replace(/\r/g, ''), text.replace(/\r\n?/g, '\n'));
  return committed;
}

describe('IncrementalMarkdown', () => {
  const md = getMarkdown();
  for (const [name, doc] of Object.entries(DOCS)) {
    it(`renders "${name}" exactly like a one-shot render, for random chunkings`, () => {
      const expected = md.render(doc);
      for (let seed = 1; seed <= 40; seed++) {
        const rand = prng(seed);
        const chunks = randomChunks(doc, rand, seed % 2 ? 6 : 40);
        const html = streamed(doc, chunks, () => rand() < 0.7);
        assert.equal(html, expected, `seed ${seed}`);
      }
    });
    it(`renders "${name}" correctly when stepped after every single character`, () => {
      assert.equal(streamed(doc, [...doc], () => true), md.render(doc));
    });
  }

  it('keeps the re-rendered tail small: finished blocks are not parsed again', () => {
    const inc = new IncrementalMarkdown();
    const para = 'Some words in a paragraph that goes on for a while.\n\n';
    let maxTail = 0;
    for (let i = 0; i < 200; i++) {
      inc.append(para);
      inc.step();
      maxTail = Math.max(maxTail, inc.tailLength);
    }
    assert.ok(inc.source.length > 10_000);
    assert.ok(maxTail <= 2 * para.length, `tail grew to ${maxTail}`);
  });

  it('does not commit a list while the next line could still continue it', () => {
    const inc = new IncrementalMarkdown();
    inc.append('1. a\n\n2');
    const s1 = inc.step();
    assert.equal(s1.committed, '');
    inc.append('. b\n');
    const s2 = inc.finish();
    assert.equal(inc.openFence, undefined);
    assert.equal(s1.committed + s2.committed, getMarkdown().render('1. a\n\n2. b\n'));
    assert.match(s2.committed, /<ol>\n<li>\n<p>a<\/p>\n<\/li>\n<li>\n<p>b<\/p>/);
  });

  it('commits a closed fence or a heading at once, and reports an open fence', () => {
    const inc = new IncrementalMarkdown();
    inc.append('# Title\n');
    assert.match(inc.step(false).committed, /<h1>Title<\/h1>/);
    inc.append('```ts\nconst a = 1;\n');
    assert.equal(inc.step(false).committed, '');
    assert.deepEqual(inc.openFence, { lang: 'ts', codeStart: '# Title\n```ts\n'.length, markup: '```' });
    inc.append('const b = 2;');
    assert.deepEqual(inc.step(false), { committed: '' }); // no line completed: nothing parsed
    inc.append('\n```\nNext paragraph that is still stream');
    const s = inc.step(false);
    assert.match(s.committed, /^<div class="code-block">/);
    assert.equal(inc.openFence, undefined);
    assert.equal(inc.slice(inc.tailStart), 'Next paragraph that is still stream');
  });

  it('handles a CR LF split across chunks', () => {
    const inc = new IncrementalMarkdown();
    inc.append('a\r');
    inc.step();
    inc.append('\nb\r');
    const s = inc.finish();
    assert.equal(inc.source, 'a\nb\n');
    assert.ok(s.committed.includes('a\nb'));
  });
});
