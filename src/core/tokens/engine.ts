import { ChunkedCounter, DocumentChunks, type ChunkCountStats, type DocumentCountStats, type TextEdit } from './chunks';
import type { EncodingName } from './encodings';
import { digitSplitExtra } from './estimate';
import { UnknownDocumentError } from './errors';
import { loadEncoder, type LoadOptions } from './ranks';
import type { BpeEncoder } from './bpe';

/**
 * What runs inside the worker (and, for tests, in-process): lazily loaded encoders plus a chunk cache per encoding.
 */
export class CountEngine {
  private readonly encoders = new Map<EncodingName, Promise<BpeEncoder>>();
  private readonly counters = new Map<EncodingName, ChunkedCounter>();
  private readonly docs = new Map<string, DocumentChunks>();
  private readonly opening = new Map<string, Promise<unknown>>();

  constructor(
    private readonly onReady?: (encoding: EncodingName, loadMs: number) => void,
    private readonly loadOptions: LoadOptions = {},
  ) {}

  load(encoding: EncodingName): Promise<BpeEncoder> {
    let p = this.encoders.get(encoding);
    if (!p) {
      const t0 = performance.now();
      p = loadEncoder(encoding, this.loadOptions).then((enc) => {
        this.counters.set(encoding, new ChunkedCounter(encoding, (chunk) => enc.count(chunk)));
        this.onReady?.(encoding, performance.now() - t0);
        return enc;
      });
      this.encoders.set(encoding, p);
    }
    return p;
  }

  isLoaded(encoding: EncodingName): boolean {
    return this.counters.has(encoding);
  }

  async count(encoding: EncodingName, text: string): Promise<ChunkCountStats> {
    await this.load(encoding);
    return (this.counters.get(encoding) as ChunkedCounter).count(text);
  }

  /** Hold `text` as document `doc` (replacing any previous one) and count it. */
  open(doc: string, encoding: EncodingName, text: string): Promise<DocumentCountStats> {
    this.docs.delete(doc);
    const p = this.load(encoding).then(() => {
      const d = new DocumentChunks(this.counters.get(encoding) as ChunkedCounter, digitSplitExtra, '');
      const stats = d.reset(text);
      this.docs.set(doc, d);
      return stats;
    });
    this.opening.set(doc, p);
    const clear = () => {
      if (this.opening.get(doc) === p) this.opening.delete(doc);
    };
    p.then(clear, clear);
    return p;
  }

  /** Apply edits to a held document (after its open, if that is still running). Rejects with UnknownDocumentError. */
  async edit(doc: string, edits: readonly TextEdit[]): Promise<DocumentCountStats> {
    const pending = this.opening.get(doc);
    if (pending) await pending.catch(() => undefined);
    const d = this.docs.get(doc);
    if (!d) throw new UnknownDocumentError(doc);
    return d.edit(edits);
  }

  /** The current text of a held document (tests). */
  documentText(doc: string): string | undefined {
    return this.docs.get(doc)?.text();
  }

  close(doc: string): void {
    this.docs.delete(doc);
  }
}
