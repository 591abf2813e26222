import { ProviderError } from '../errors';
import type { DashScopeRegion } from '../providers/baseUrls';
import { dashscopeBatchRefusal } from './dashscope';
import type { BatchItem, BatchProviderId } from './types';

const CUSTOM_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const BATCH_LIMITS: Readonly<Record<BatchProviderId, { maxRequests: number; maxBytes: number }>> = {
  openai: { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 },
  anthropic: { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 },
  dashscope: { maxRequests: 50_000, maxBytes: 100 * 1024 * 1024 },
};

function invalid(provider: BatchProviderId, message: string, model?: string): ProviderError {
  return new ProviderError({ kind: 'badRequest', message: `Batch not sent: ${message}`, provider, model });
}

/**
 * Checks the rules the batch APIs enforce, before anything is sent. Throws a ProviderError (badRequest).
 * DashScope: the model must be one its Batch API takes in `dashscopeRegion` (default china).
 */
export function validateBatchItems(provider: BatchProviderId, items: readonly BatchItem[], o: { dashscopeRegion?: DashScopeRegion } = {}): void {
  if (items.length === 0) throw invalid(provider, 'it has no requests.');
  const limit = BATCH_LIMITS[provider].maxRequests;
  if (items.length > limit) throw invalid(provider, `${items.length} requests, more than the ${limit} allowed.`);
  const seen = new Set<string>();
  for (const { customId, request } of items) {
    if (!CUSTOM_ID_RE.test(customId)) {
      throw invalid(provider, `custom id "${customId}" must be 1-64 letters, digits, '_' or '-'.`);
    }
    if (seen.has(customId)) throw invalid(provider, `custom id "${customId}" is used twice.`);
    seen.add(customId);
    if (request.provider !== provider) {
      throw invalid(provider, `request "${customId}" is for ${request.provider}, not ${provider}.`, request.model);
    }
    if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
      throw invalid(provider, `request "${customId}" needs maxTokens of at least 1.`, request.model);
    }
    if (request.messages.length === 0) throw invalid(provider, `request "${customId}" has no messages.`, request.model);
  }
  if (provider === 'openai' || provider === 'dashscope') {
    const models = new Set(items.map((i) => i.request.model));
    if (models.size > 1) {
      throw invalid(provider, `${provider === 'openai' ? 'an OpenAI' : 'a DashScope'} batch takes one model per batch, got ${[...models].join(', ')}.`);
    }
  }
  if (provider === 'dashscope') {
    const model = items[0]!.request.model;
    const why = dashscopeBatchRefusal(model, o.dashscopeRegion ?? 'china');
    if (why) throw invalid(provider, why, model);
  }
}

export function checkBatchSize(provider: BatchProviderId, bytes: number): void {
  const max = BATCH_LIMITS[provider].maxBytes;
  if (bytes > max) {
    throw invalid(provider, `${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${max / 1024 / 1024} MB allowed.`);
  }
}
