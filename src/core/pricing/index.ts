export { Catalogue, DASHSCOPE_PRICE_REGIONS, isRetired, laddersRise, modelIdCandidates, type CatalogueOptions, type CatalogueOverrides, type DashScopeRegion, type ModelEntry, type PriceTier } from './catalogue';
export {
  LITELLM_PRICES_URL,
  parseLiteLlmPrices,
  diffPriceList,
  describeDiff,
  describePriceSource,
  guessTier,
  type PriceList,
  type PriceListModel,
  type PriceDiff,
  type PriceChange,
} from './priceList';
export { costOf, priceTier, ratesFor, type Cost, type PriceSource, type RateOptions, type Rates } from './cost';
export { DEFAULT_CNY_PER_USD, DEFAULT_CURRENCY, convert, formatIn, formatMoney, formatMoneyAll, toUsd, type CurrencySettings } from './currency';
export { compareTable, estimateCost, type CompareInput, type CompareRow, type CostEstimate, type EstimateOptions, type TierModels } from './estimate';
export {
  Ledger,
  groupBy,
  localDay,
  makeRecord,
  nodeLedgerFs,
  parseLedger,
  scanLedger,
  corruptName,
  spend,
  toCsv,
  topTierComparison,
  usageOf,
  type GroupKey,
  type GroupRow,
  type LedgerFs,
  type LedgerRecord,
  type LedgerRecovery,
  type RoutingInfo,
  type Outcome,
  type Spend,
  type TopTierComparison,
} from './ledger';
export { budgetCheck, budgetStatus, remainingUsd, statusAfter, type BudgetCheck, type UsdFormatter, type BudgetLine, type BudgetSettings, type BudgetState, type BudgetStatus } from './budget';
