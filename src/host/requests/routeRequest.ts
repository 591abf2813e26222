/** The count and route steps of a request, with judge mode for auto-routed requests the rules are unsure of. */
import * as vscode from 'vscode';
import type { CallSource } from '../../core/pricing';
import { type Route, type RouteInput, isRouteError } from '../../core/routing';
import { decideWithJudge, needsJudge } from '../../core/routing/judge';
import { systemClock } from '../../core/clock';
import type { ChatRequest, Tier } from '../../core/types';
import { localize } from '../util';
import { byteSize, formatSize } from './fromEditor';
import type { PendingRequest } from './pending';
import { HUGE_TEXT_CHARS, countedRouteInput } from './sendChecks';
import type { RequestPorts } from './ports';
import { requestText } from '../tokens';
import { AttemptTimeline, pipelineCall } from '../telemetry';

/** A routed request: the route and the input it was routed from (Escalate routes the same input one tier up). */
export interface Planned {
  route: Route;
  input: RouteInput;
}

/** Counts and routes a request; shows the reason a request cannot be sent, before anything is sent. */
export async function routeRequest(s: RequestPorts, pending: PendingRequest): Promise<Planned | undefined> {
  const router = s.router();
  const own = pending.prebuilt;
  const countText = own ? requestText(own.request) : `${pending.question ?? ''}\n${pending.text}`;
  const input = await countedRouteInput(
    s,
    {
      task: pending.task,
      selectionText: pending.text,
      languageId: pending.languageId,
      fileName: pending.fileName,
      question: pending.question,
      override: {
        ...(own?.tier ? { tier: own.tier } : {}),
        ...(own?.provider ? { provider: own.provider } : {}),
        ...(own?.model ? { model: own.model } : {}),
        ...pending.override,
      },
      ...(own ? { request: own.request, ...(own.request.maxTokens ? { maxTokens: own.request.maxTokens } : {}) } : {}),
    },
    countText,
  );
  let routed = router.route(input);
  let routedInput: RouteInput = input;
  if (!isRouteError(routed) && routed.auto && !own) {
    const judged = await judge(s, routed, input, pending.source ?? 'panel');
    if (judged) {
      routedInput = { ...input, judged };
      routed = router.route(routedInput);
    }
  }
  const route = routed;
  if (isRouteError(route)) {
    // A refusal for size says how large the text is, not only its token count.
    const size =
      route.error === 'tooLarge'
        ? countText.length > HUGE_TEXT_CHARS
          ? vscode.l10n.t('The text is {0}, its tokens estimated from samples. ', formatSize(pending.text.length, byteSize(pending.text)))
          : vscode.l10n.t('The text is {0}. ', formatSize(pending.text.length, byteSize(pending.text)))
        : '';
    void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: {0}', `${size}${localize(route.messageMsg)}`));
    return undefined;
  }
  if (pending.overrideChosen) {
    // Learn once from the tier the user chose over the router's; a Retry of the same request does not count again.
    pending.overrideChosen = false;
    void s.learnedRouting().record(route.auto, route.tier, route.auto?.routedTier ?? route.tier);
  }
  return { route, input: routedInput };
}

/**
 * Judge mode: when the rules are unsure of an auto-routed request, asks the simple-tier model which tier it needs
 * (5 output tokens, 3 s at most, recorded in the ledger as routing overhead). undefined keeps the local decision.
 */
async function judge(s: RequestPorts, route: Route, input: RouteInput, source: CallSource): Promise<{ tier: Tier; model: string } | undefined> {
  const auto = route.auto;
  const cfg = s.config().routing.config;
  if (!auto || auto.source !== 'rules' || !needsJudge(cfg.classifier, auto.assessment)) return undefined;
  const simple = s.router().route({ ...input, override: { tier: 'simple' } });
  if (isRouteError(simple)) return undefined;
  if (s.needsKey(simple.provider) && !(await s.keys.has(simple.provider))) return undefined;
  let judgeModel = simple.model;
  const decision = await decideWithJudge(
    cfg.classifier,
    auto.assessment,
    { request: input.question ?? '', languageId: input.languageId },
    async (p, signal) => {
      const request: ChatRequest = { provider: simple.provider, model: simple.model, system: p.system, messages: [{ role: 'user', content: p.user }], maxTokens: p.maxTokens, temperature: 0 };
      const started = Date.now();
      const candidates = await s.candidates({ ...simple, request, maxTokens: p.maxTokens, fallbacks: [] });
      const timeline = s.telemetry.enabled ? new AttemptTimeline() : undefined;
      const o = await s.runner().run(candidates, (e) => timeline?.observe(e), signal);
      judgeModel = o.result?.model ?? o.model;
      const rec = await s.ledger().record({
        provider: o.provider,
        model: judgeModel,
        tier: 'simple',
        task: 'routing-judge',
        usage: o.result?.usage ?? o.usage,
        usageReported: o.result?.usageReported ?? false,
        latencyMs: Date.now() - started,
        retries: o.retries,
        outcome: o.result ? 'ok' : o.error?.kind === 'aborted' ? 'cancelled' : 'error',
        error: o.error?.kind,
        overhead: 'routing',
        source,
        reason: `routing judge: which tier ${route.task.label} needs`,
      });
      if (timeline) {
        const baseUrl = s.config().destinations[o.provider]?.url;
        s.telemetry.record(pipelineCall(s.telemetry, s.pricing(), { startMs: started, request, outcome: o, rec, timeline, baseUrl, tier: 'simple', task: 'routing-judge', routingOverhead: true }));
      }
      if (!o.result) throw o.error ?? new Error('no answer');
      return o.result.text;
    },
    systemClock,
  );
  if (decision.fallback) s.log.info(`routing judge: ${decision.fallback}; keeping the local ${auto.assessment.tier} tier`);
  return decision.source === 'judge' ? { tier: decision.tier, model: judgeModel } : undefined;
}
