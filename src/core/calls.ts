/**
 * The part of the core that calls providers: the SDKs, the resilience pipeline and the batch clients. Bundled on
 * its own (dist/calls.js) and loaded on the first send, so that activation, counting, prices and lenses load none
 * of it. Prices live in src/core/pricing, bundled with the extension.
 */
export { createProvider, providerNeedsKey, defaultBaseUrl } from './providers';
export { CallRunner, withFallbacks } from './resilience/pipeline';
export { BatchClient, isBatchProvider, batchItemTexts, nonEmptyLines, batchCustomIds, abbreviate, assembleBatchAnswer, batchProgressText } from './batch';
export { dashscopeBatchRefusal, dashscopeBatchSupports } from './batch';
