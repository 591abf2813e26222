/**
 * Feeds the OpenTelemetry SDK with the span and metric records of Tierwise's calls (mapping.ts) and exports them
 * over OTLP/HTTP. Bundled on its own (dist/telemetry.js) and loaded only once export is on and a call has ended.
 *
 * Nothing here is awaited on a request's path: `submit` maps the call, records its metrics in memory and queues
 * its span record. A pump turns queued records into SDK spans one batch at a time, hands them to a
 * BatchSpanProcessor and flushes it with a short timeout; the next batch waits for that flush, so the SDK's own
 * queue never holds more than one batch. While the collector is down or slow, records wait in a bounded queue that
 * drops its oldest (the count goes to the log); a failing export is logged once until one succeeds again.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes as OtelAttributes, type Histogram, type Counter } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { callMetrics, callSpan } from './mapping';
import { DropOldestQueue } from './queue';
import { METRICS, type MetricName, type SpanRecord, type TelemetryCall } from './types';

export interface ExportLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ExportOptions {
  /** OTLP/HTTP base URL: spans go to …/v1/traces, metrics to …/v1/metrics. */
  endpoint: string;
  /** Sent with every export (values from SecretStorage). Never logged. */
  headers: Record<string, string>;
  serviceName: string;
  serviceVersion: string;
  resourceAttributes: Record<string, string>;
  log: ExportLog;
  /** Calls kept while the collector cannot take them; the oldest go first. Default 2048. */
  maxQueue?: number;
  /** Calls per export. Default 128. */
  batchSize?: number;
  /** How often queued spans are exported. Default 5 s. */
  flushIntervalMs?: number;
  /** An export that takes longer is abandoned. Default 3 s. */
  exportTimeoutMs?: number;
  /** How often metrics are exported. Default 30 s. */
  metricIntervalMs?: number;
}

export interface ExportStats {
  queued: number;
  /** Spans (calls and their attempts) the collector accepted. */
  exportedSpans: number;
  /** Calls dropped from a full queue. */
  dropped: number;
  failures: number;
}

/** Watches an exporter's results: the first failure is logged, then nothing until an export succeeds again. */
class Health {
  private failing = false;
  failures = 0;
  constructor(
    private readonly what: string,
    private readonly log: ExportLog,
    private readonly droppedSoFar: () => number,
  ) {}
  ok(): void {
    if (!this.failing) return;
    this.failing = false;
    const d = this.droppedSoFar();
    this.log.info(`telemetry: ${this.what} export works again${d ? ` (${d} call(s) dropped from the full queue so far)` : ''}`);
  }
  failed(error: unknown): void {
    this.failures++;
    if (this.failing) return;
    this.failing = true;
    const message = error instanceof Error ? error.message : String(error ?? 'unknown error');
    this.log.warn(`telemetry: ${this.what} export failed (${message}); calls go on, and further failures are not logged until an export succeeds`);
  }
}

class ObservedSpanExporter implements SpanExporter {
  exported = 0;
  constructor(
    private readonly inner: SpanExporter,
    private readonly health: Health,
  ) {}
  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans, (r) => {
      if (r.code === 0) {
        this.exported += spans.length;
        this.health.ok();
      } else this.health.failed(r.error);
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

class ObservedMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly health: Health,
  ) {}
  export(metrics: ResourceMetrics, done: Parameters<PushMetricExporter['export']>[1]): void {
    this.inner.export(metrics, (r) => {
      if (r.code === 0) this.health.ok();
      else this.health.failed(r.error);
      done(r);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }
}

/** Bucket boundaries the GenAI conventions advise for the token and duration histograms. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SECOND_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), ms);
    timer.unref?.();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
};

export class OtelExport {
  private readonly queue: DropOldestQueue<SpanRecord>;
  private readonly tracerProvider: BasicTracerProvider;
  private readonly processor: BatchSpanProcessor;
  private readonly spans: ObservedSpanExporter;
  private readonly meterProvider: MeterProvider;
  private readonly instruments: Record<MetricName, Histogram | Counter>;
  private readonly tracer;
  private readonly traceHealth: Health;
  private readonly metricHealth: Health;
  private readonly timer: NodeJS.Timeout;
  private pumping: Promise<void> | undefined;
  private warnedFull = false;
  private closed = false;
  private readonly batchSize: number;
  private readonly exportTimeoutMs: number;

  constructor(private readonly o: ExportOptions) {
    this.queue = new DropOldestQueue(o.maxQueue ?? 2048);
    this.batchSize = o.batchSize ?? 128;
    this.exportTimeoutMs = o.exportTimeoutMs ?? 3000;
    const resource = resourceFromAttributes({ 'service.name': o.serviceName, 'service.version': o.serviceVersion, ...o.resourceAttributes });
    const dropped = () => this.queue.dropped;
    this.traceHealth = new Health('span', o.log, dropped);
    this.metricHealth = new Health('metric', o.log, dropped);
    const common = { headers: { ...o.headers }, timeoutMillis: this.exportTimeoutMs, concurrencyLimit: 2 };
    this.spans = new ObservedSpanExporter(new OTLPTraceExporter({ ...common, url: `${o.endpoint}/v1/traces` }), this.traceHealth);
    this.processor = new BatchSpanProcessor(this.spans, {
      // The pump hands over one batch at a time and flushes it; the processor's own timer never needs to fire.
      maxQueueSize: 16384,
      maxExportBatchSize: 16384,
      scheduledDelayMillis: 3_600_000,
      exportTimeoutMillis: this.exportTimeoutMs,
    });
    this.tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [this.processor] });
    this.tracer = this.tracerProvider.getTracer('tierwise', o.serviceVersion);
    const metricExporter = new ObservedMetricExporter(new OTLPMetricExporter({ ...common, url: `${o.endpoint}/v1/metrics` }), this.metricHealth);
    this.meterProvider = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: o.metricIntervalMs ?? 30_000, exportTimeoutMillis: this.exportTimeoutMs })],
    });
    const meter = this.meterProvider.getMeter('tierwise', o.serviceVersion);
    const make = (name: MetricName): Histogram | Counter => {
      const m = METRICS[name];
      if (m.kind === 'counter') return meter.createCounter(name, { unit: m.unit, description: m.description });
      const buckets = m.unit === 's' ? SECOND_BUCKETS : TOKEN_BUCKETS;
      return meter.createHistogram(name, { unit: m.unit, description: m.description, advice: { explicitBucketBoundaries: buckets } });
    };
    this.instruments = Object.fromEntries((Object.keys(METRICS) as MetricName[]).map((n) => [n, make(n)])) as Record<MetricName, Histogram | Counter>;
    this.timer = setInterval(() => void this.pump(), o.flushIntervalMs ?? 5000);
    this.timer.unref?.();
  }

  /** A call ended: its metrics are recorded and its span queued. Synchronous and cheap; never throws. */
  submit(call: TelemetryCall): void {
    if (this.closed) return;
    try {
      for (const p of callMetrics(call)) {
        const i = this.instruments[p.name];
        if ('record' in i) i.record(p.value, p.attributes as OtelAttributes);
        else i.add(p.value, p.attributes as OtelAttributes);
      }
      if (this.queue.push(callSpan(call)) && !this.warnedFull) {
        this.warnedFull = true;
        this.o.log.warn(`telemetry: the export queue is full (${this.queue.capacity} calls, the collector is not taking them); the oldest are dropped`);
      }
      if (this.queue.size >= this.batchSize) void this.pump();
    } catch (e) {
      this.o.log.warn(`telemetry: a call could not be recorded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Exports what is queued now, batch after batch; resolves when done or after `timeoutMs`. Never rejects. */
  async flush(timeoutMs = this.exportTimeoutMs + 1000): Promise<void> {
    const work = (async () => {
      while (this.queue.size > 0 && !this.closed) await this.pump();
      await this.pumping;
      await this.meterProvider.forceFlush().catch(() => undefined);
    })();
    await withTimeout(work, timeoutMs);
  }

  private pump(): Promise<void> {
    if (this.pumping) return this.pumping;
    if (this.queue.size === 0) return Promise.resolve();
    this.pumping = (async () => {
      try {
        for (const r of this.queue.take(this.batchSize)) this.emit(r, ROOT_CONTEXT);
        // Rejects when the export fails or times out: already logged by Health.
        await withTimeout(this.processor.forceFlush().catch(() => undefined), this.exportTimeoutMs + 500);
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }

  private emit(r: SpanRecord, parent: typeof ROOT_CONTEXT): void {
    const span = this.tracer.startSpan(r.name, { kind: SpanKind.CLIENT, startTime: r.startMs, attributes: r.attributes as OtelAttributes }, parent);
    if (r.error) span.setStatus({ code: SpanStatusCode.ERROR, message: r.error });
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    for (const c of r.children) this.emit(c, ctx);
    span.end(r.endMs);
  }

  stats(): ExportStats {
    return { queued: this.queue.size, exportedSpans: this.spans.exported, dropped: this.queue.dropped, failures: this.traceHealth.failures + this.metricHealth.failures };
  }

  /** Exports what it can within `timeoutMs`, then stops. */
  async shutdown(timeoutMs = 1500): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.flush(timeoutMs);
    this.closed = true;
    if (this.queue.dropped) this.o.log.info(`telemetry: ${this.queue.dropped} call(s) were dropped from the full export queue`);
    await withTimeout(Promise.allSettled([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]), 500);
  }
}
