/** OpenAI Batch API wire format: input JSONL lines, the Batch object, output and error file lines. */
import { toOpenAIMessages } from '../providers/openaiCompatible';
import { isReasoningModel, reasoningRoomTokens, thinksByDefault } from '../providers/reasoning';
import { mapOpenAIFinishReason } from '../providers/finishReason';
import { fromOpenAIUsage, type OpenAIWireUsage } from '../providers/usage';
import type { ChatRequest } from '../types';
import { parseJsonl, toJsonl } from './jsonl';
import { answered, failed, num, obj, ownText, str } from './results';
import { msg } from '../messages';
import type { BatchInfo, BatchItem, BatchItemResult, BatchResults, BatchStatus } from './types';
import { TERMINAL_BATCH_STATUSES } from './types';

export const OPENAI_BATCH_ENDPOINT = '/v1/chat/completions';

/** A non-streaming Chat Completions body (batch requests cannot stream). */
export function openAIBatchBody(req: ChatRequest): Record<string, unknown> {
  const reasoning = isReasoningModel(req.model);
  const body: Record<string, unknown> = { model: req.model, messages: toOpenAIMessages(req) };
  if (reasoning) body.max_completion_tokens = req.maxTokens + reasoningRoomTokens('openai', req.model);
  else body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined && !reasoning) body.temperature = req.temperature;
  // DashScope's batch file takes the same body: Qwen3.5 and later think unless told not to.
  if (thinksByDefault(req.provider, req.model)) body.enable_thinking = false;
  return body;
}

/** The input file: one `{custom_id, method, url, body}` line per request. */
export function buildOpenAIBatchJsonl(items: readonly BatchItem[]): string {
  return toJsonl(
    items.map((i) => ({ custom_id: i.customId, method: 'POST', url: OPENAI_BATCH_ENDPOINT, body: openAIBatchBody(i.request) })),
  );
}

const STATUS: Record<string, BatchStatus> = {
  validating: 'validating',
  in_progress: 'inProgress',
  finalizing: 'finalizing',
  cancelling: 'cancelling',
  completed: 'completed',
  failed: 'failed',
  expired: 'expired',
  cancelled: 'cancelled',
};

const secs = (v: unknown): number | undefined => (typeof v === 'number' ? v * 1000 : undefined);

/** The Batch object (unix-second timestamps, live request counts); DashScope answers the same shape. */
export function parseOpenAIBatch(json: unknown, provider: 'openai' | 'dashscope' = 'openai'): BatchInfo {
  const b = obj(json);
  const rawStatus = String(b.status ?? 'unknown');
  const status = STATUS[rawStatus] ?? 'inProgress';
  const rc = obj(b.request_counts);
  const total = num(rc.total);
  const succeeded = num(rc.completed);
  const failed = num(rc.failed);
  const errors = Array.isArray(obj(b.errors).data)
    ? (obj(b.errors).data as unknown[]).map((e) => {
        const x = obj(e);
        return `${x.line !== undefined && x.line !== null ? `line ${String(x.line)}: ` : ''}${String(x.message ?? x.code ?? 'error')}${x.code ? ` (${String(x.code)})` : ''}`;
      })
    : [];
  const info: BatchInfo = {
    provider,
    id: String(b.id ?? ''),
    status,
    rawStatus,
    done: TERMINAL_BATCH_STATUSES.includes(status),
    counts: {
      total,
      succeeded,
      failed,
      processing: TERMINAL_BATCH_STATUSES.includes(status) ? 0 : Math.max(0, total - succeeded - failed),
      cancelled: 0,
      expired: 0,
    },
    errors,
  };
  const created = secs(b.created_at);
  if (created !== undefined) info.createdAt = created;
  const expires = secs(b.expires_at);
  if (expires !== undefined) info.expiresAt = expires;
  const ended = secs(b.completed_at) ?? secs(b.failed_at) ?? secs(b.expired_at) ?? secs(b.cancelled_at);
  if (ended !== undefined) info.endedAt = ended;
  const out = str(b.output_file_id);
  if (out) info.outputFileId = out;
  const err = str(b.error_file_id);
  if (err) info.errorFileId = err;
  return info;
}

const RETRYABLE_STATUS = (s: number) => s === 408 || s === 409 || s === 429 || s >= 500;

/** One line of the output or error file. */
export function parseOpenAIResultLine(line: unknown): BatchItemResult | undefined {
  const l = obj(line);
  const customId = str(l.custom_id);
  if (!customId) return undefined;
  const response = l.response === null || l.response === undefined ? undefined : obj(l.response);
  const error = l.error === null || l.error === undefined ? undefined : obj(l.error);
  if (response && num(response.status_code) >= 200 && num(response.status_code) < 300) {
    const body = obj(response.body);
    const choice = obj(Array.isArray(body.choices) ? body.choices[0] : undefined);
    const message = obj(choice.message);
    const text = typeof message.content === 'string' ? message.content : '';
    const finishReason = mapOpenAIFinishReason(str(choice.finish_reason));
    return answered(customId, { text, finishReason, usage: fromOpenAIUsage(obj(body.usage) as OpenAIWireUsage), model: String(body.model ?? '') }, str(response.request_id));
  }
  if (response) {
    const status = num(response.status_code);
    const e = obj(obj(response.body).error);
    const code = str(e.code) ?? str(e.type);
    return failed(customId, code, { outcome: 'errored', message: String(e.message ?? `HTTP ${status}`), status, retryable: RETRYABLE_STATUS(status) });
  }
  const code = str(error?.code);
  const outcome = code === 'batch_expired' ? 'expired' : code === 'batch_cancelled' ? 'cancelled' : 'errored';
  return failed(customId, code, {
    outcome,
    ...ownText(error?.message === undefined || error.message === null ? msg('errors.batch.item.noReason') : String(error.message)),
    retryable: outcome !== 'errored' || code === 'server_error' || code === 'rate_limit_exceeded',
  });
}

/** Parse the output and error files together. */
export function parseOpenAIResults(...files: string[]): BatchResults {
  const results: BatchItemResult[] = [];
  const unreadable: string[] = [];
  for (const text of files) {
    const { values, errors } = parseJsonl(text);
    unreadable.push(...errors);
    for (const v of values) {
      const r = parseOpenAIResultLine(v);
      if (r) results.push(r);
      else unreadable.push(`no custom_id in ${JSON.stringify(v).slice(0, 80)}`);
    }
  }
  return { results, unreadable };
}
