export { BpeEncoder, type RankFile } from './bpe';
export { ChunkedCounter, DocumentChunks, isSafeBoundary, splitChunks, type ChunkOptions, type ChunkCountStats, type DocumentCountStats, type TextEdit } from './chunks';
export {
  ANTHROPIC_PER_O200K,
  InProcessBackend,
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
export { ENCODINGS, encodingForModel, loadEncoder, loadRankFile, type EncodingName } from './encodings';
export { CountEngine, UnknownDocumentError, digitSplitExtra } from './engine';
export { O200K_WEIGHTS, estimateTokens, type EstimateWeights } from './estimate';
export { FRAMING, approximateRequest, countRequest, countRequestLocally, type Framing, type ProviderTokenCounter, type RequestCount } from './request';
