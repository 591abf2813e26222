export * from './settings';
export * from './retry';
export * from './breaker';
export * from './limiter';
export * from './timeouts';
export * from './caching';
export * from './pipeline';
