/**
 * The part of the core that calls providers and prices their answers: the SDKs, the resilience pipeline and the
 * price catalogue. Bundled on its own (dist/calls.js) and loaded on first use, so that activation loads none of it.
 */
export { createProvider, providerNeedsKey, defaultBaseUrl } from './providers';
export { CallRunner, withFallbacks } from './resilience/pipeline';
export { Catalogue, costOf, estimateCost, compareTable, convert, formatMoney, toUsd } from './pricing';
export { parseLiteLlmPrices, diffPriceList, describeDiff, describePriceSource } from './pricing';
export { Ledger, makeRecord, type LedgerRecovery, nodeLedgerFs, spend, groupBy, topTierComparison, budgetStatus, budgetCheck, remainingUsd } from './pricing';
export { BatchClient, BATCH_PROVIDER_IDS, isBatchProvider, batchItemTexts, nonEmptyLines, batchCustomIds, abbreviate, assembleBatchAnswer, batchProgressText } from './batch';
export { dashscopeBatchRefusal, dashscopeBatchSupports } from './batch';
