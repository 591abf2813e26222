/** Anthropic Message Batches wire format: the create body, the MessageBatch object and the results lines. */
import { toAnthropicMessages, toAnthropicSystem } from '../providers/anthropic';
import { mapAnthropicStopReason } from '../providers/finishReason';
import { fromAnthropicUsage, type AnthropicWireUsage } from '../providers/usage';
import type { ChatRequest } from '../types';
import { parseJsonl } from './jsonl';
import { answered, failed, num, obj, ownText, str } from './results';
import { msg } from '../messages';
import type { BatchInfo, BatchItem, BatchItemResult, BatchResults, BatchStatus } from './types';

/** Non-streaming Messages params (batch requests cannot stream). Cache breakpoints are kept. */
export function anthropicBatchParams(req: ChatRequest): Record<string, unknown> {
  const system = toAnthropicSystem(req);
  const params: Record<string, unknown> = {
    model: req.model,
    max_tokens: req.maxTokens,
    messages: toAnthropicMessages(req),
  };
  if (system !== undefined) params.system = system;
  if (req.temperature !== undefined) params.temperature = req.temperature;
  return params;
}

/** The body of POST /v1/messages/batches. */
export function buildAnthropicBatchBody(items: readonly BatchItem[]): { requests: { custom_id: string; params: Record<string, unknown> }[] } {
  return { requests: items.map((i) => ({ custom_id: i.customId, params: anthropicBatchParams(i.request) })) };
}

const time = (v: unknown): number | undefined => {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
};

/** The MessageBatch object (RFC 3339 timestamps; counts leave `processing` only when the whole batch ends). */
export function parseAnthropicBatch(json: unknown): BatchInfo {
  const b = obj(json);
  const rawStatus = String(b.processing_status ?? 'unknown');
  const rc = obj(b.request_counts);
  const counts = {
    processing: num(rc.processing),
    succeeded: num(rc.succeeded),
    failed: num(rc.errored),
    cancelled: num(rc.canceled),
    expired: num(rc.expired),
    total: 0,
  };
  counts.total = counts.processing + counts.succeeded + counts.failed + counts.cancelled + counts.expired;
  let status: BatchStatus;
  if (rawStatus === 'ended') {
    if (b.cancel_initiated_at) status = 'cancelled';
    else if (counts.expired > 0 && counts.succeeded + counts.failed === 0) status = 'expired';
    else status = 'completed';
  } else if (rawStatus === 'canceling') status = 'cancelling';
  else status = 'inProgress';
  const info: BatchInfo = {
    provider: 'anthropic',
    id: String(b.id ?? ''),
    status,
    rawStatus,
    done: rawStatus === 'ended',
    counts,
    errors: [],
  };
  const created = time(b.created_at);
  if (created !== undefined) info.createdAt = created;
  const expires = time(b.expires_at);
  if (expires !== undefined) info.expiresAt = expires;
  const ended = time(b.ended_at);
  if (ended !== undefined) info.endedAt = ended;
  const url = str(b.results_url);
  if (url) info.resultsUrl = url;
  return info;
}

const RETRYABLE_TYPES = new Set(['api_error', 'overloaded_error', 'rate_limit_error', 'timeout_error']);

/** One line of the results file. */
export function parseAnthropicResultLine(line: unknown): BatchItemResult | undefined {
  const l = obj(line);
  const customId = str(l.custom_id);
  if (!customId) return undefined;
  const result = obj(l.result);
  switch (result.type) {
    case 'succeeded': {
      const m = obj(result.message);
      const blocks = Array.isArray(m.content) ? m.content : [];
      const text = blocks
        .map((b) => obj(b))
        .filter((b) => b.type === 'text' && typeof b.text === 'string')
        .map((b) => b.text as string)
        .join('');
      const finishReason = mapAnthropicStopReason(str(m.stop_reason));
      return answered(customId, { text, finishReason, usage: fromAnthropicUsage(obj(m.usage) as AnthropicWireUsage), model: String(m.model ?? '') }, str(m.id));
    }
    case 'errored': {
      // result.error is the full ErrorResponse envelope: { type: 'error', error: { type, message }, request_id }.
      const envelope = obj(result.error);
      const inner = obj(envelope.error);
      const code = str(inner.type) ?? str(envelope.type);
      const said = inner.message ?? envelope.message;
      return failed(customId, code, {
        outcome: 'errored',
        ...ownText(said === undefined || said === null ? msg('errors.batch.item.noReason') : String(said)),
        retryable: code !== undefined && RETRYABLE_TYPES.has(code),
      });
    }
    case 'canceled':
      return { customId, ok: false, outcome: 'cancelled', ...ownText(msg('errors.batch.item.batchCancelled')), retryable: true };
    case 'expired':
      return { customId, ok: false, outcome: 'expired', ...ownText(msg('errors.batch.item.batchExpired')), retryable: true };
    default:
      return undefined;
  }
}

export function parseAnthropicResults(text: string): BatchResults {
  const { values, errors } = parseJsonl(text);
  const results: BatchItemResult[] = [];
  const unreadable = [...errors];
  for (const v of values) {
    const r = parseAnthropicResultLine(v);
    if (r) results.push(r);
    else unreadable.push(`unexpected result ${JSON.stringify(v).slice(0, 80)}`);
  }
  return { results, unreadable };
}
