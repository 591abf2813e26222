// Everything, for tests and tools. The extension host should import './client' (and './request') directly:
// this index also pulls in the rank files, which belong in the worker bundle only.
export { BpeEncoder } from './bpe';
export { parseVocabFile, type BpeVocabulary, type RankFile } from './vocabulary';
export { ChunkedCounter, DocumentChunks, isSafeBoundary, splitChunks, type ChunkOptions, type ChunkCountStats, type DocumentCountStats, type TextEdit } from './chunks';
export {
  ANTHROPIC_CODE_FACTOR,
  ANTHROPIC_PROSE_FACTOR,
  anthropicFactor,
  TokenCounter,
  type BackendCount,
  WorkerBackend,
  countPlan,
  formatCount,
  type CountMethod,
  type CountPlan,
  type TokenBackend,
  type TokenCount,
  type WorkerBackendOptions,
} from './client';
export { ENCODINGS, encodingForModel, qwenVocabularyOf, type EncodingName, type QwenVocabulary } from './encodings';
export { QWEN_VOCAB_FILE, loadEncoder, loadRankFile, type LoadOptions } from './ranks';
export { scannerFor, type PieceScanner } from './pretokenize';
export { InProcessBackend } from './inprocess';
export { UnknownDocumentError } from './errors';
export { CountEngine } from './engine';
export { O200K_WEIGHTS, digitSplitExtra, estimateTokens, type EstimateWeights } from './estimate';
export { DASHSCOPE_DEFAULT_SYSTEM, FRAMING, approximateRequest, countRequest, countRequestLocally, type Framing, type ProviderTokenCounter, type RequestCount } from './request';
