/**
 * Token worker entry (bundled to dist/tokenWorker.js). Loads encoders off the extension host's main thread and
 * answers count requests from a per-chunk cache. It starts loading the encodings named in `workerData.preload`
 * immediately, so the first exact count is ready as early as possible.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CountEngine } from './engine';
import { UnknownDocumentError } from './errors';
import { digitSplitExtra } from './estimate';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

const port = parentPort;
if (!port) throw new Error('tokenWorker must run in a worker thread');

const post = (m: FromWorker) => port.postMessage(m);
const init = (workerData ?? { preload: [] }) as WorkerInit;
const engine = new CountEngine((encoding, loadMs) => post({ type: 'ready', encoding, loadMs }), { qwenVocabPath: init.qwenVocabPath });

const fail = (id: number | undefined, e: unknown) =>
  post({
    type: 'error',
    id,
    message: e instanceof Error ? e.message : String(e),
    ...(e instanceof UnknownDocumentError ? { code: 'unknownDocument' as const } : {}),
  });

const parts = new Map<number, string[]>();
/** The full text of a request: pieces sent ahead of it, then its own text. */
const textOf = (id: number, text: string): string => {
  const before = parts.get(id);
  if (!before) return text;
  parts.delete(id);
  before.push(text);
  return before.join('');
};

port.on('message', (m: ToWorker) => {
  const t0 = performance.now();
  switch (m.type) {
    case 'part': {
      const list = parts.get(m.id);
      if (list) list.push(m.text);
      else parts.set(m.id, [m.text]);
      return;
    }
    case 'load':
      engine.load(m.encoding).catch((e: unknown) => fail(undefined, e));
      return;
    case 'close':
      engine.close(m.doc);
      return;
    case 'count': {
      const text = textOf(m.id, m.text);
      engine
        .count(m.encoding, text)
        .then((s) =>
          post({
            type: 'result',
            id: m.id,
            tokens: s.tokens,
            digitExtra: m.digitsSplit ? digitSplitExtra(text) : 0,
            chunks: s.chunks,
            encodedChunks: s.encodedChunks,
            ms: performance.now() - t0,
          }),
        )
        .catch((e: unknown) => fail(m.id, e));
      return;
    }
    case 'open':
      engine
        .open(m.doc, m.encoding, textOf(m.id, m.text))
        .then((s) => post({ type: 'result', id: m.id, tokens: s.tokens, digitExtra: s.digitExtra, chunks: s.chunks, encodedChunks: s.encodedChunks, ms: performance.now() - t0 }))
        .catch((e: unknown) => fail(m.id, e));
      return;
    case 'edit':
      engine
        .edit(m.doc, m.edits)
        .then((s) => post({ type: 'result', id: m.id, tokens: s.tokens, digitExtra: s.digitExtra, chunks: s.chunks, encodedChunks: s.encodedChunks, ms: performance.now() - t0 }))
        .catch((e: unknown) => fail(m.id, e));
      return;
  }
});

for (const enc of init.preload ?? []) {
  engine.load(enc).catch((e: unknown) => post({ type: 'error', message: String(e) }));
}
