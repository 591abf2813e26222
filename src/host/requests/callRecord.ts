/** The ledger record of one finished call, the same for the answer panel and the chat (only `source` differs). */
import type { CallSource, LedgerRecord } from '../../core/pricing';
import type { CallOutcome } from '../../core/resilience/pipeline';
import type { Route } from '../../core/routing';
import type { Tier } from '../../core/types';
import { gatewayReportedCost } from '../../core/setup/local';
import { routingInfo } from './answerMeta';
import type { RecordPorts } from './ports';
import { pipelineCall, type AttemptTimeline } from '../telemetry';

export type CallEnd = 'done' | 'cancelled' | 'interrupted' | 'error';

/** A gateway that reports the call's cost (LiteLLM) is believed over the catalogue. */
export function gatewayCost(o: CallOutcome): number | undefined {
  return o.provider === 'openaiCompatible' && o.result ? gatewayReportedCost(o.result.headers) : undefined;
}

export async function recordCall(
  s: RecordPorts,
  route: Route,
  o: CallOutcome,
  end: { outcome: CallEnd; latencyMs: number; source: CallSource; escalatedFrom?: Tier },
  /** With export on: the call's attempts and start, for its span and metrics (handed over after the record, never awaited). */
  exported?: { timeline: AttemptTimeline; startMs: number },
): Promise<LedgerRecord> {
  const provider = o.provider;
  const model = o.result?.model ?? o.model;
  const usage = o.result?.usage ?? o.usage;
  const pricing = s.pricing();
  const gatewayCostUsd = gatewayCost(o);
  const local = pricing.isLocal(provider);
  const rec = await s.ledger().record({
    provider,
    model,
    tier: route.tier,
    task: route.task.id,
    usage,
    usageReported: o.result ? o.result.usageReported : false,
    batch: !!route.request.batch,
    latencyMs: end.latencyMs,
    retries: o.retries,
    outcome: end.outcome === 'done' ? (o.result?.finishReason === 'length' ? 'truncated' : 'ok') : end.outcome,
    error: o.error?.kind,
    ...(route.auto ? { routing: routingInfo(pricing, s.config().routing.config.tiers[provider], route, provider, usage) } : {}),
    ...(gatewayCostUsd !== undefined ? { gatewayCostUsd } : {}),
    ...(local ? { local } : {}),
    source: end.source,
    reason: route.reason,
    ...(end.escalatedFrom ? { escalatedFrom: end.escalatedFrom } : {}),
  });
  if (exported) {
    s.telemetry.record(
      pipelineCall(s.telemetry, pricing, {
        startMs: exported.startMs,
        request: route.request,
        outcome: o,
        rec,
        timeline: exported.timeline,
        baseUrl: s.config().destinations[provider]?.url,
        tier: route.tier,
        task: route.task.id,
        routeReason: route.reason,
        routeSource: route.auto?.source,
        batch: !!route.request.batch,
        local,
      }),
    );
  }
  return rec;
}
