import type { TextEdit } from './chunks';
import type { BackendCount, TokenBackend } from './client';
import type { EncodingName } from './encodings';
import { CountEngine } from './engine';
import { digitSplitExtra } from './estimate';
import type { LoadOptions } from './ranks';

/** The same engine on the calling thread (for tests and for environments without worker threads). */
export class InProcessBackend implements TokenBackend {
  readonly engine: CountEngine;

  constructor(options: LoadOptions = {}) {
    this.engine = new CountEngine(undefined, options);
  }

  async count(encoding: EncodingName, text: string, digitsSplit = false): Promise<BackendCount> {
    const s = await this.engine.count(encoding, text);
    return { tokens: s.tokens, digitExtra: digitsSplit ? digitSplitExtra(text) : 0 };
  }
  async open(doc: string, encoding: EncodingName, text: string): Promise<BackendCount> {
    const s = await this.engine.open(doc, encoding, text);
    return { tokens: s.tokens, digitExtra: s.digitExtra };
  }
  async edit(doc: string, edits: TextEdit[]): Promise<BackendCount> {
    const s = await this.engine.edit(doc, edits);
    return { tokens: s.tokens, digitExtra: s.digitExtra };
  }
  close(doc: string): void {
    this.engine.close(doc);
  }
  isReady(encoding: EncodingName): boolean {
    return this.engine.isLoaded(encoding);
  }
  warm(encoding: EncodingName): void {
    void this.engine.load(encoding);
  }
  async dispose(): Promise<void> {}
}
