export { registerCostCommands } from './costs';
export { Budget, Ledger } from './ledger';
export { lifecyclePort, type LifecyclePort, notFoundMessage, noticeFor, originOf, switchFromTooltip, switchLabel, switchLink, switchModel } from './modelLifecycle';
export { Pricing } from './pricing';
export { PriceUpdater, registerUpdatePrices, storedPriceList } from './updatePrices';
export type { CostPorts } from './ports';
