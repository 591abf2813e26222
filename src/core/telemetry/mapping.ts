/**
 * Tierwise's facts about a call → the span and metric records a team's collector receives. Attribute names follow
 * the OpenTelemetry GenAI semantic conventions (open-telemetry/semantic-conventions-genai, "Development" status),
 * the cost attributes follow PR #443 there, and Tierwise's own facts are under `tierwise.*`. The README's "Team
 * dashboards" section lists every name with its source. Nothing here carries a key: only counts, names of models,
 * tiers and tasks, Tierwise's own reason line, host names and error kinds; prompt and answer texts only when the
 * call's `content` is set (content capture on).
 */
import type { ProviderId } from '../types';
import type { AttemptFacts, Attributes, MetricPoint, SpanRecord, TelemetryCall } from './types';

/**
 * gen_ai.provider.name: the conventions' well-known values for OpenAI and Anthropic; DashScope and OpenAI-compatible
 * servers have none, so they get custom values (the conventions allow them), with server.address saying where.
 */
export const GEN_AI_PROVIDER: Record<ProviderId, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  dashscope: 'dashscope',
  openaiCompatible: 'openai_compatible',
};

export const OPERATION = 'chat';

function set(a: Attributes, key: string, v: string | number | boolean | string[] | undefined): void {
  if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return;
  a[key] = v;
}

/** The attributes of the call's span. */
export function callAttributes(c: TelemetryCall): Attributes {
  const a: Attributes = {};
  set(a, 'gen_ai.operation.name', OPERATION);
  set(a, 'gen_ai.provider.name', GEN_AI_PROVIDER[c.provider]);
  set(a, 'gen_ai.request.model', c.requestModel);
  set(a, 'gen_ai.response.model', c.responseModel);
  set(a, 'gen_ai.request.max_tokens', c.maxTokens);
  set(a, 'server.address', c.server?.address);
  set(a, 'server.port', c.server?.port);
  const u = c.usage;
  set(a, 'gen_ai.usage.input_tokens', u.inputTokens);
  set(a, 'gen_ai.usage.output_tokens', u.outputTokens);
  set(a, 'gen_ai.usage.cache_read.input_tokens', u.cacheReadTokens);
  set(a, 'gen_ai.usage.cache_creation.input_tokens', u.cacheWriteTokens);
  set(a, 'gen_ai.usage.reasoning.output_tokens', u.reasoningTokens);
  if (c.finishReason) set(a, 'gen_ai.response.finish_reasons', [c.finishReason]);
  if (c.ttftMs !== undefined) set(a, 'gen_ai.response.time_to_first_chunk', c.ttftMs / 1000);
  if (c.error) {
    set(a, 'error.type', c.error.kind);
    set(a, 'http.response.status_code', c.error.status);
  }
  if (c.cost) {
    set(a, 'gen_ai.usage.cost.amount', c.cost.amount);
    set(a, 'gen_ai.usage.cost.currency', c.cost.currency);
    set(a, 'gen_ai.usage.cost.source', c.cost.source);
    set(a, 'tierwise.cost.usd', c.cost.usd);
  }
  set(a, 'tierwise.provider', c.provider);
  set(a, 'tierwise.tier', c.tier);
  set(a, 'tierwise.task', c.task);
  set(a, 'tierwise.route.reason', c.routeReason);
  set(a, 'tierwise.route.source', c.routeSource);
  set(a, 'tierwise.routing.overhead', !!c.routingOverhead);
  set(a, 'tierwise.batch', c.batch);
  if (c.local) set(a, 'tierwise.local', true);
  if (c.batchJob) {
    set(a, 'tierwise.batch.job_id', c.batchJob.id);
    set(a, 'tierwise.batch.item', c.batchJob.item);
    set(a, 'tierwise.batch.items', c.batchJob.items);
  }
  set(a, 'tierwise.workspace', c.workspace);
  set(a, 'tierwise.retries', c.retries);
  set(a, 'tierwise.fallbacks', c.fallbacks);
  set(a, 'tierwise.outcome', c.outcome);
  set(a, 'tierwise.usage.estimated', !c.usageReported);
  if (c.content) {
    if (c.content.system) set(a, 'gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: c.content.system }]));
    set(a, 'gen_ai.input.messages', JSON.stringify(c.content.messages.map((m) => ({ role: m.role, parts: [{ type: 'text', content: m.content }] }))));
    if (c.content.output !== undefined) {
      set(
        a,
        'gen_ai.output.messages',
        JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: c.content.output }], ...(c.finishReason ? { finish_reason: c.finishReason } : {}) }]),
      );
    }
  }
  return a;
}

function attemptSpan(c: TelemetryCall, t: AttemptFacts): SpanRecord {
  const a: Attributes = {};
  set(a, 'gen_ai.operation.name', OPERATION);
  set(a, 'gen_ai.provider.name', GEN_AI_PROVIDER[t.provider]);
  set(a, 'gen_ai.request.model', t.model);
  set(a, 'tierwise.attempt.kind', t.kind);
  set(a, 'tierwise.attempt.number', t.attempt);
  set(a, 'tierwise.retry.delay_ms', t.delayMs);
  set(a, 'error.type', t.error);
  set(a, 'http.response.status_code', t.status);
  set(a, 'tierwise.workspace', c.workspace);
  return { name: `${t.kind === 'first' ? 'attempt' : t.kind} ${t.model}`, startMs: t.startMs, endMs: Math.max(t.startMs, t.endMs), attributes: a, ...(t.error ? { error: t.error } : {}), children: [] };
}

/**
 * The call's span, named `chat {model}` as the conventions name inference spans. A call that was retried or fell
 * back has one child span per attempt (`attempt …`, `retry …`, `fallback …`), each with its own error.type.
 */
export function callSpan(c: TelemetryCall): SpanRecord {
  const children = c.attempts.length > 1 ? c.attempts.map((t) => attemptSpan(c, t)) : [];
  const error = c.error && c.outcome !== 'cancelled' ? (c.error.status ? `${c.error.status} ${c.error.kind}` : c.error.kind) : undefined;
  return {
    name: `${OPERATION} ${c.requestModel}`,
    startMs: c.startMs,
    endMs: Math.max(c.startMs, c.endMs),
    attributes: callAttributes(c),
    ...(error ? { error } : {}),
    children,
  };
}

/** The measurements of one call: token usage by type, duration, time to first chunk, and cost. */
export function callMetrics(c: TelemetryCall): MetricPoint[] {
  const base: Attributes = {};
  set(base, 'gen_ai.operation.name', OPERATION);
  set(base, 'gen_ai.provider.name', GEN_AI_PROVIDER[c.provider]);
  set(base, 'gen_ai.request.model', c.requestModel);
  set(base, 'gen_ai.response.model', c.responseModel);
  set(base, 'tierwise.tier', c.tier);
  set(base, 'tierwise.task', c.task);
  const out: MetricPoint[] = [];
  const u = c.usage;
  if (c.usageReported || u.inputTokens > 0 || u.outputTokens > 0) {
    out.push({ name: 'gen_ai.client.token.usage', value: u.inputTokens, attributes: { ...base, 'gen_ai.token.type': 'input' } });
    out.push({ name: 'gen_ai.client.token.usage', value: u.outputTokens, attributes: { ...base, 'gen_ai.token.type': 'output' } });
  }
  const withError = c.error ? { ...base, 'error.type': c.error.kind } : base;
  out.push({ name: 'gen_ai.client.operation.duration', value: Math.max(0, c.endMs - c.startMs) / 1000, attributes: withError });
  if (c.ttftMs !== undefined) out.push({ name: 'gen_ai.client.operation.time_to_first_chunk', value: c.ttftMs / 1000, attributes: base });
  if (c.cost) {
    const cost: Attributes = {};
    set(cost, 'gen_ai.provider.name', GEN_AI_PROVIDER[c.provider]);
    set(cost, 'gen_ai.request.model', c.responseModel ?? c.requestModel);
    set(cost, 'tierwise.tier', c.tier);
    set(cost, 'tierwise.task', c.task);
    set(cost, 'gen_ai.usage.cost.source', c.cost.source);
    out.push({ name: 'tierwise.client.cost', value: c.cost.usd, attributes: cost });
  }
  return out;
}

/** host[:port] of a base URL, or undefined (never its path, query or user info). */
export function serverOf(baseUrl: string | undefined): { address: string; port?: number } | undefined {
  if (!baseUrl) return undefined;
  try {
    const u = new URL(baseUrl);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : undefined;
    return { address: u.hostname.replace(/^\[|\]$/g, ''), ...(port ? { port } : {}) };
  } catch {
    return undefined;
  }
}
