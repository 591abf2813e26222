export * from './tasks';
export * from './tiers';
export * from './config';
export * from './router';
export { roughTokens, formatCount, fence } from './text';
export * from './complexity';
export * from './learned';
export * from './judge';
export { routingSavings, type RoutingSavings } from './savings';
