import { ProviderError } from '../errors';
import { msg, type Message } from '../messages';
import type { DashScopeRegion } from '../providers/baseUrls';
import { dashscopeBatchRefusal } from './dashscope';
import type { BatchItem, BatchProviderId } from './types';

const CUSTOM_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const BATCH_LIMITS: Readonly<Record<BatchProviderId, { maxRequests: number; maxBytes: number }>> = {
  openai: { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 },
  anthropic: { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 },
  dashscope: { maxRequests: 50_000, maxBytes: 100 * 1024 * 1024 },
};

function invalid(provider: BatchProviderId, message: Message, model?: string): ProviderError {
  return new ProviderError({ kind: 'badRequest', text: msg('errors.batch.notSent', message), provider, model });
}

/**
 * Checks the rules the batch APIs enforce, before anything is sent. Throws a ProviderError (badRequest).
 * DashScope: the model must be one its Batch API takes in `dashscopeRegion` (default china).
 */
export function validateBatchItems(provider: BatchProviderId, items: readonly BatchItem[], o: { dashscopeRegion?: DashScopeRegion } = {}): void {
  if (items.length === 0) throw invalid(provider, msg('errors.batch.empty'));
  const limit = BATCH_LIMITS[provider].maxRequests;
  if (items.length > limit) throw invalid(provider, msg('errors.batch.tooMany', items.length, limit));
  const seen = new Set<string>();
  for (const { customId, request } of items) {
    if (!CUSTOM_ID_RE.test(customId)) {
      throw invalid(provider, msg('errors.batch.badId', customId));
    }
    if (seen.has(customId)) throw invalid(provider, msg('errors.batch.duplicateId', customId));
    seen.add(customId);
    if (request.provider !== provider) {
      throw invalid(provider, msg('errors.batch.wrongProvider', customId, request.provider, provider), request.model);
    }
    if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
      throw invalid(provider, msg('errors.batch.maxTokens', customId), request.model);
    }
    if (request.messages.length === 0) throw invalid(provider, msg('errors.batch.noMessages', customId), request.model);
  }
  if (provider === 'openai' || provider === 'dashscope') {
    const models = new Set(items.map((i) => i.request.model));
    if (models.size > 1) {
      throw invalid(provider, msg(provider === 'openai' ? 'errors.batch.oneModelOpenai' : 'errors.batch.oneModelDashscope', [...models].join(', ')));
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
    throw invalid(provider, msg('errors.batch.tooLarge', (bytes / 1024 / 1024).toFixed(1), max / 1024 / 1024));
  }
}
