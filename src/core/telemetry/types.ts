/**
 * Tierwise's facts about one finished call, and the span and metric records they become. Pure data: the mapping
 * (mapping.ts) is unit-tested without OpenTelemetry, and only otel.ts (the lazily loaded dist/telemetry.js) turns
 * these records into SDK spans and instruments.
 */
import type { Currency, FinishReason, ProviderId, Tier, Usage } from '../types';

/** Where a cost figure comes from (gen_ai.usage.cost.source, after open-telemetry/semantic-conventions-genai#443). */
export type CostSource = 'provider' | 'gateway' | 'estimate';

/** One attempt of a call: the first, a retry of the same model, or a fallback to another. */
export interface AttemptFacts {
  kind: 'first' | 'retry' | 'fallback';
  provider: ProviderId;
  model: string;
  /** 1-based attempt number on this candidate. */
  attempt: number;
  startMs: number;
  endMs: number;
  /** How the attempt failed (ProviderError.kind), when it did. */
  error?: string;
  status?: number;
  /** For a retry: how long the pipeline waited before it. */
  delayMs?: number;
}

/** The prompt and answer texts, given only when `tierwise.telemetry.captureContent` is on. */
export interface CallContent {
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  output?: string;
}

/** What Tierwise knows of a call when it ends: the ledger's facts plus timing, attempts and routing. */
export interface TelemetryCall {
  /** Epoch ms. */
  startMs: number;
  endMs: number;
  /** The provider and model asked first (the route), and the one that answered or failed last. */
  requestProvider: ProviderId;
  requestModel: string;
  provider: ProviderId;
  responseModel?: string;
  /** Host and port the call went to (no path, no query: never a key). */
  server?: { address: string; port?: number };
  maxTokens?: number;
  usage: Usage;
  usageReported: boolean;
  finishReason?: FinishReason;
  /** ok, truncated, cancelled, interrupted or error (the ledger's outcome). */
  outcome: string;
  error?: { kind: string; status?: number };
  cost?: { amount: number; currency: Currency; usd: number; source: CostSource };
  ttftMs?: number;
  tier?: Tier;
  task?: string;
  /** The route's reason line (Tierwise's own words, never the request text). */
  routeReason?: string;
  /** How an auto route got its tier: rules, learned, judge, override or escalated. */
  routeSource?: string;
  /** A call made to route another request (the routing judge), not an answer. */
  routingOverhead?: boolean;
  batch: boolean;
  /** The call went to a server on this machine. */
  local?: boolean;
  /** Batch jobs: the job's id and the item's index. */
  batchJob?: { id: string; item: number; items: number };
  /** The workspace: a hash of its folder, or its name when the user allows names (workspace.ts). */
  workspace?: string;
  retries: number;
  fallbacks: number;
  /** Every attempt, in order; retries and fallbacks become child spans. */
  attempts: AttemptFacts[];
  /** Only when content capture is on. */
  content?: CallContent;
}

export type AttributeValue = string | number | boolean | string[];
export type Attributes = Record<string, AttributeValue>;

/** A span to export, independent of the SDK. */
export interface SpanRecord {
  name: string;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  error?: string;
  children: SpanRecord[];
}

/** One measurement for an instrument named in METRICS. */
export interface MetricPoint {
  name: MetricName;
  value: number;
  attributes: Attributes;
}

export type MetricName = keyof typeof METRICS;

/** The instruments: GenAI client metrics from the semantic conventions, and Tierwise's cost counter. */
export const METRICS = {
  'gen_ai.client.token.usage': { kind: 'histogram', unit: '{token}', description: 'Number of input and output tokens used.' },
  'gen_ai.client.operation.duration': { kind: 'histogram', unit: 's', description: 'GenAI operation duration.' },
  'gen_ai.client.operation.time_to_first_chunk': { kind: 'histogram', unit: 's', description: 'Time to receive the first chunk of a streamed answer.' },
  'tierwise.client.cost': { kind: 'counter', unit: 'USD', description: 'Cost of calls in US dollars (at the configured CNY rate), by provider, model, tier and task.' },
} as const;
