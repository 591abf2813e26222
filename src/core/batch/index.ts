export * from './types';
export * from './jsonl';
export * from './validate';
export * from './openai';
export * from './dashscope';
export * from './anthropic';
export * from './client';
export * from './job';
