import type { CallOutcome } from '../resilience/pipeline';
import type { ChatRequest, FinishReason, Tier } from '../types';
import { serverOf } from './mapping';
import type { AttemptTimeline } from './timeline';
import type { TelemetryCall } from './types';

/** A call through the pipeline (CallRunner), as the host knows it when the call has been recorded. */
export interface OutcomeFacts {
  startMs: number;
  endMs: number;
  request: Pick<ChatRequest, 'provider' | 'model' | 'maxTokens' | 'system' | 'messages'>;
  outcome: CallOutcome;
  /** The ledger's outcome (ok, truncated, cancelled, interrupted, error) and whether usage was reported. */
  recorded: { outcome: string; usageReported: boolean };
  cost?: TelemetryCall['cost'];
  timeline?: AttemptTimeline;
  baseUrl?: string;
  tier?: Tier;
  task?: string;
  routeReason?: string;
  routeSource?: string;
  routingOverhead?: boolean;
  batch?: boolean;
  local?: boolean;
  workspace?: string;
  /** Content capture on: the prompt and the answer go into the span. */
  captureContent?: boolean;
}

/** The telemetry facts of a call through the pipeline: its outcome, attempts and timing. */
export function callFromOutcome(p: OutcomeFacts): TelemetryCall {
  const o = p.outcome;
  const error = o.error ? { kind: o.error.kind, ...(o.error.status !== undefined ? { status: o.error.status } : {}) } : undefined;
  const attempts = p.timeline?.attempts(error) ?? [];
  const finishReason: FinishReason | undefined = o.result?.finishReason ?? (o.error?.kind === 'aborted' ? 'cancelled' : o.error ? 'error' : undefined);
  const ttft = o.result?.timing.timeToFirstTokenMs ?? p.timeline?.timeToFirstTextMs();
  const server = serverOf(p.baseUrl);
  return {
    startMs: p.startMs,
    endMs: p.endMs,
    requestProvider: p.request.provider,
    requestModel: p.request.model,
    provider: o.provider,
    ...(o.result?.model ? { responseModel: o.result.model } : {}),
    ...(server ? { server } : {}),
    maxTokens: p.request.maxTokens,
    usage: o.result?.usage ?? o.usage,
    usageReported: p.recorded.usageReported,
    ...(finishReason ? { finishReason } : {}),
    outcome: p.recorded.outcome,
    ...(error ? { error } : {}),
    ...(p.cost ? { cost: p.cost } : {}),
    ...(ttft !== undefined ? { ttftMs: ttft } : {}),
    ...(p.tier ? { tier: p.tier } : {}),
    ...(p.task ? { task: p.task } : {}),
    ...(p.routeReason ? { routeReason: p.routeReason } : {}),
    ...(p.routeSource ? { routeSource: p.routeSource } : {}),
    ...(p.routingOverhead ? { routingOverhead: true } : {}),
    batch: !!p.batch,
    ...(p.local ? { local: true } : {}),
    ...(p.workspace ? { workspace: p.workspace } : {}),
    retries: o.retries,
    fallbacks: o.fallbacks,
    attempts,
    ...(p.captureContent
      ? { content: { system: p.request.system, messages: p.request.messages.map((m) => ({ role: m.role, content: m.content })), output: o.result?.text ?? o.partialText } }
      : {}),
  };
}
