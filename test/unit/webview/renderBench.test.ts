import assert from 'node:assert/strict';
import { getEncoding } from 'js-tiktoken';
import { streamedAnswer, type StreamedAnswer } from '../../../bench/render/answer';
import { simulate } from '../../../bench/render/sim';
import { FRAME_MS } from '../../../src/host/panels/coalescer';
import { makeWindow } from './dom';

// bench/render streams an answer through the host's coalescer into the answer webview on a simulated clock. What
// it counts does not depend on the machine once each render is charged a fixed simulated time instead of its real
// CPU time, so its goals are asserted here: the host posts at most one message per animation frame, and the DOM
// built incrementally from the stream is that of one render of the final text. Render times stay in the bench.
describe('render simulation (bench/render)', function () {
  this.timeout(60_000);
  let answer: StreamedAnswer;
  before(() => {
    answer = streamedAnswer(5000, getEncoding('o200k_base'));
  });

  it('streams an answer with headings, prose, lists, tables and code blocks in chunks of 1-4 tokens', () => {
    const { text, chunks, tokens } = answer;
    assert.ok(tokens >= 5000, `${tokens} tokens`);
    assert.match(text, /^## Part /m);
    assert.match(text, /^1\. [A-Z]/m);
    assert.match(text, /^\|---\|---:\|---\|$/m);
    assert.ok((text.match(/^```ts$/gm) ?? []).length >= 2 && (text.match(/^```python$/gm) ?? []).length >= 2, 'TypeScript and Python blocks');
    assert.ok(chunks.length > tokens / 4 && chunks.length < tokens, `${chunks.length} chunks`);
    assert.equal(chunks.join(''), text);
  });

  // Renders that cost nothing, and renders slower than a frame (each one delays the next frame).
  const cases: [tokensPerSecond: number, renderMs: number][] = [
    [60, 0],
    [150, 0],
    [400, 0],
    [150, 25],
    [400, 40],
  ];
  for (const [speed, cost] of cases) {
    it(`${speed} tokens/s, ${cost} ms per render: at most one host message per frame, and the final DOM is a one-shot render's`, () => {
      const win = makeWindow();
      try {
        const r = simulate(win, answer.text, answer.chunks, answer.tokensPerChunk, speed, { renderCost: () => cost, oneShotRuns: 1 });
        const figures = `${r.posted} messages for ${r.chunks} chunks, ${r.frames} frames, ${r.renders} renders`;
        assert.ok(r.posted <= r.frames, figures);
        assert.ok(r.minPostGapMs >= FRAME_MS, `two messages ${r.minPostGapMs} ms apart`);
        // the webview renders on animation frames, and once more at the end
        assert.ok(r.renders <= r.frames + 1, figures);
        assert.equal(r.identical, true, 'the streamed DOM equals one render of the final text');
      } finally {
        win.close();
      }
    });
  }
});
