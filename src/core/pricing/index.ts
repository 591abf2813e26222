export { Catalogue, isRetired, laddersRise, modelIdCandidates, type CatalogueOptions, type CatalogueOverrides, type LifecycleStatus, type ModelEntry, type PriceTier } from './catalogue';
export { PLATFORM_NAMES, closestModels, isoDay, lifecycleOf, modelNotice, type Lifecycle, type ModelNotice } from './lifecycle';
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
export { convert, displayCurrency, formatMoney, formatMoneyAll, moneyFormatter, toUsd, type CurrencySettings } from './currency';
export { compareTable, estimateCost, promptFileCost, type PromptFileCost, type CompareInput, type CompareRow, type CostEstimate, type EstimateOptions, type TierModels } from './estimate';
export { NO_WORKSPACE, NO_WORKSPACE_LABEL, makeRecord, usageOf, wasEscalated, type CallSource, type FinishedCall, type LedgerRecord, type Outcome, type RoutingInfo } from './record';
export { Ledger, nodeLedgerFs, parseLedger, scanLedger, type LedgerFs, type LedgerRecovery } from './ledger';
export { groupBy, inWorkspace, localDay, spend, topTierComparison, workspaceKey, workspaceLabels, type GroupKey, type GroupRow, type Spend, type TopTierComparison } from './spend';
export { BUDGET_NAMES, budgetCheck, budgetStatus, hasBudget, remainingUsd, statusAfter, type BudgetCheck, type UsdFormatter, type BudgetLine, type BudgetSettings, type BudgetState, type BudgetStatus } from './budget';
