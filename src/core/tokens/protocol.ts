import type { TextEdit } from './chunks';
import type { EncodingName } from './encodings';

/** Messages between the main thread and the token worker (`src/core/tokens/worker.ts`, built to dist/tokenWorker.js). */
export interface WorkerInit {
  /** Encodings to start loading as soon as the worker starts. */
  preload: EncodingName[];
  /** Where the Qwen vocabulary file is (default: dist/qwen.vocab beside the worker bundle). */
  qwenVocabPath?: string;
}

export type ToWorker =
  | { type: 'load'; encoding: EncodingName }
  /** A piece of the text of request `id`, sent ahead of it (large texts go in pieces so no single post blocks). */
  | { type: 'part'; id: number; text: string }
  /** `text` is appended to any pieces sent before for this id. */
  | { type: 'count'; id: number; encoding: EncodingName; text: string; digitsSplit?: boolean }
  /** Hold a document in the worker, so later edits send only the change. */
  | { type: 'open'; id: number; doc: string; encoding: EncodingName; text: string }
  | { type: 'edit'; id: number; doc: string; edits: TextEdit[] }
  | { type: 'close'; doc: string };

export type FromWorker =
  | { type: 'ready'; encoding: EncodingName; loadMs: number }
  | { type: 'result'; id: number; tokens: number; digitExtra: number; chunks: number; encodedChunks: number; ms: number }
  | { type: 'error'; id?: number; message: string; code?: 'unknownDocument' };
