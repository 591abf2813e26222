import assert from 'node:assert/strict';
import path from 'node:path';
import type { TextEdit } from '../../../src/core/tokens/chunks';
import { TokenCounter, WorkerBackend, type TokenBackend } from '../../../src/core/tokens/client';
import { InProcessBackend } from '../../../src/core/tokens/inprocess';
import { LiveDocuments, type LiveDocument } from '../../../src/core/tokens/documents';
import type { ProviderId } from '../../../src/core/types';
import { mulberry32 } from '../../helpers/random';
import { CJK, codeSample, proseSample, whitespaceSample } from './corpus';
import { qwenVocabPath } from './qwenVocab';

/** An editor document: its text and a version raised by every change, as VS Code keeps them. */
class Doc implements LiveDocument {
  version = 1;
  constructor(
    readonly key: string,
    public value: string,
  ) {}
  text(): string {
    return this.value;
  }
  /** One change event: edits applied in order, each against the text the previous one left. */
  apply(edits: TextEdit[]): void {
    for (const e of edits) this.value = this.value.slice(0, e.offset) + e.text + this.value.slice(e.offset + e.deleteCount);
    this.version++;
  }
}

const INSERTS = ['x', '\n', '  ', '}\n//', ' 12345', '字', '\n\n\n', 'const a = 1;\n', '', "'s", '\r\n'];

/** A random change event like a keystroke, a paste or a multi-cursor edit: non-overlapping edits, last first. */
function randomEvent(random: () => number, length: number): TextEdit[] {
  const cursors = random() < 0.2 ? 2 + Math.floor(random() * 3) : 1;
  const offsets = Array.from({ length: cursors }, () => Math.floor(random() * (length + 1))).sort((a, b) => b - a);
  const edits: TextEdit[] = [];
  let limit = length;
  for (const offset of offsets) {
    if (offset > limit) continue;
    const deleteCount = random() < 0.4 ? Math.min(limit - offset, Math.floor(random() * (random() < 0.1 ? 3000 : 8))) : 0;
    const text = INSERTS[Math.floor(random() * INSERTS.length)] as string;
    if (deleteCount === 0 && text === '') continue;
    edits.push({ offset, deleteCount, text });
    limit = offset - 1;
  }
  return edits.length ? edits : [{ offset: Math.floor(random() * (length + 1)), deleteCount: 0, text: 'y' }];
}

/** `backend`, noting in `seen` what is sent to it. */
function spying(backend: TokenBackend, seen: string[]): TokenBackend {
  return {
    count: (e, t, d) => backend.count(e, t, d),
    open: (doc, e, t) => (seen.push(`open ${t.length}`), backend.open(doc, e, t)),
    edit: (doc, edits) => (seen.push(`edit ${edits.map((x) => x.text).join('')}`), backend.edit(doc, edits)),
    close: (doc) => (seen.push(`close ${doc}`), backend.close(doc)),
    isReady: (e) => backend.isReady(e),
    warm: (e) => backend.warm(e),
    dispose: () => backend.dispose(),
  };
}

const MODELS: [ProviderId, string][] = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4'],
  ['dashscope', 'qwen-plus'],
  ['dashscope', 'qwen3.5-plus'],
  ['anthropic', 'claude-sonnet-4'],
];

describe('tokens: LiveDocuments (the document path of live counts)', function () {
  this.timeout(120_000);
  const backend = new InProcessBackend({ qwenVocabPath: qwenVocabPath() });
  const counter = new TokenCounter(backend);
  const full = (provider: ProviderId, model: string, text: string) => counter.count(provider, model, text);

  for (const [provider, model] of MODELS) {
    it(`random edit sequences count exactly what a full count gives (${provider} ${model})`, async () => {
      const random = mulberry32(provider.length * 31 + model.length);
      const docs = new LiveDocuments(backend);
      const starts = [codeSample().slice(0, 60_000), proseSample().slice(0, 20_000) + CJK, whitespaceSample(), ''];
      for (const [n, start] of starts.entries()) {
        const doc = new Doc(`doc${n}`, start);
        assert.deepEqual(await docs.count(doc, provider, model), await full(provider, model, doc.value), `doc ${n} opened`);
        for (let i = 0; i < 60; i++) {
          const edits = randomEvent(random, doc.value.length);
          doc.apply(edits);
          docs.edit(doc.key, doc.version, edits);
          // Sometimes several events come before the next count (typing faster than the debounce).
          if (random() < 0.6) assert.deepEqual(await docs.count(doc, provider, model), await full(provider, model, doc.value), `doc ${n}, event ${i}`);
        }
        assert.deepEqual(await docs.count(doc, provider, model), await full(provider, model, doc.value), `doc ${n} at the end`);
      }
      docs.dispose();
    });
  }

  it('a count asked for while edits are still being applied is that of the text after all of them', async () => {
    const docs = new LiveDocuments(backend);
    const doc = new Doc('racing', codeSample().slice(0, 30_000));
    const first = docs.count(doc, 'openai', 'gpt-4o');
    const random = mulberry32(9);
    const counts: Promise<unknown>[] = [first];
    for (let i = 0; i < 20; i++) {
      const edits = randomEvent(random, doc.value.length);
      doc.apply(edits);
      docs.edit(doc.key, doc.version, edits);
      counts.push(docs.count(doc, 'openai', 'gpt-4o'));
    }
    const expected = await full('openai', 'gpt-4o', doc.value);
    for (const c of await Promise.all(counts)) assert.deepEqual(c, expected);
    docs.dispose();
  });

  it('sends the text once and then only the edits', async () => {
    const seen: string[] = [];
    const spy = spying(backend, seen);
    const docs = new LiveDocuments(spy);
    const doc = new Doc('spy', 'const a = 1;\n'.repeat(500));
    await docs.count(doc, 'openai', 'gpt-4o');
    for (const ch of 'abc') {
      const edits = [{ offset: 6, deleteCount: 0, text: ch }];
      doc.apply(edits);
      docs.edit(doc.key, doc.version, edits);
      assert.deepEqual(await docs.count(doc, 'openai', 'gpt-4o'), await full('openai', 'gpt-4o', doc.value));
    }
    assert.deepEqual(seen, [`open ${6500}`, 'edit a', 'edit b', 'edit c']);
    // Edits to a document that is not held are not sent.
    docs.edit('other', 2, [{ offset: 0, deleteCount: 0, text: 'z' }]);
    docs.close(doc.key);
    docs.close(doc.key);
    assert.deepEqual(seen.slice(4), ['close spy']);
  });

  it('opens the document again when the backend lost it, the model changed or a change came without edits', async () => {
    const docs = new LiveDocuments(backend);
    const doc = new Doc('again', proseSample().slice(0, 10_000));
    await docs.count(doc, 'openai', 'gpt-4o');
    // The backend lost the document (a restarted worker holds nothing).
    backend.close(doc.key);
    const edits = [{ offset: 100, deleteCount: 5, text: 'Hello 2024' }];
    doc.apply(edits);
    docs.edit(doc.key, doc.version, edits);
    assert.deepEqual(await docs.count(doc, 'openai', 'gpt-4o'), await full('openai', 'gpt-4o', doc.value));
    // Another model: another encoding.
    assert.deepEqual(await docs.count(doc, 'dashscope', 'qwen-plus'), await full('dashscope', 'qwen-plus', doc.value));
    // The line endings changed: VS Code reports a change with no content changes.
    doc.value = doc.value.replace(/\n/g, '\r\n');
    doc.version++;
    docs.edit(doc.key, doc.version, []);
    assert.deepEqual(await docs.count(doc, 'dashscope', 'qwen-plus'), await full('dashscope', 'qwen-plus', doc.value));
    // A change the counter never heard of (the versions differ): counted from the text.
    doc.value += 'tail';
    doc.version++;
    assert.deepEqual(await docs.count(doc, 'dashscope', 'qwen-plus'), await full('dashscope', 'qwen-plus', doc.value));
    docs.dispose();
  });

  it('holds a bounded number of documents, closing the least recently counted', async () => {
    const calls: string[] = [];
    const docs = new LiveDocuments(spying(backend, calls), 2);
    const closed = () => calls.filter((c) => c.startsWith('close')).map((c) => c.slice(6));
    const a = new Doc('a', 'alpha\n');
    const b = new Doc('b', 'beta\n');
    const c = new Doc('c', 'gamma\n');
    await docs.count(a, 'openai', 'gpt-4o');
    await docs.count(b, 'openai', 'gpt-4o');
    await docs.count(a, 'openai', 'gpt-4o');
    await docs.count(c, 'openai', 'gpt-4o');
    assert.deepEqual(closed(), ['b']);
    assert.deepEqual([docs.has('a'), docs.has('b'), docs.has('c')], [true, false, true]);
    docs.dispose();
    assert.deepEqual(closed().sort(), ['a', 'b', 'c']);
  });

  it('falls back cleanly when the worker dies: the document is opened again in the new worker', async () => {
    const worker = new WorkerBackend(path.resolve(__dirname, '../../../src/core/tokens/worker.ts'), { execArgv: ['--require', 'tsx/cjs'], preload: [] });
    try {
      const docs = new LiveDocuments(worker);
      const doc = new Doc('w.ts', codeSample().slice(0, 40_000));
      assert.deepEqual(await docs.count(doc, 'openai', 'gpt-4o'), await full('openai', 'gpt-4o', doc.value));
      await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      const edits = [{ offset: 0, deleteCount: 0, text: 'Q' }];
      doc.apply(edits);
      docs.edit(doc.key, doc.version, edits);
      assert.deepEqual(await docs.count(doc, 'openai', 'gpt-4o'), await full('openai', 'gpt-4o', doc.value));
      assert.equal(worker.restartCount, 1);
      const more = [{ offset: 5, deleteCount: 3, text: 'zz' }];
      doc.apply(more);
      docs.edit(doc.key, doc.version, more);
      assert.deepEqual(await docs.count(doc, 'openai', 'gpt-4o'), await full('openai', 'gpt-4o', doc.value));
      docs.dispose();
    } finally {
      await worker.dispose();
    }
  });

  after(() => counter.dispose());
});
