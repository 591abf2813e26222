/**
 * A local OTLP/HTTP receiver for the tests and the telemetry bench: takes what Tierwise's exporter posts to
 * /v1/traces and /v1/metrics (OTLP/JSON, the protocol of @opentelemetry/exporter-*-otlp-http) and decodes it with the
 * request shapes of the official @opentelemetry/otlp-transformer package. It can also answer with an error status
 * or not answer at all (a slow collector).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IAnyValue, IKeyValue } from '@opentelemetry/otlp-transformer/build/src/common/internal-types';
import type { IExportMetricsServiceRequest, IMetric } from '@opentelemetry/otlp-transformer/build/src/metrics/internal-types';
import type { IExportTraceServiceRequest, ISpan } from '@opentelemetry/otlp-transformer/build/src/trace/internal-types';

export type Value = string | number | boolean | Value[] | { [k: string]: Value } | null;

/** An OTLP AnyValue as a plain value. */
export function plain(v: IAnyValue | undefined): Value {
  if (!v) return null;
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  if (v.intValue !== undefined && v.intValue !== null) return Number(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plain);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  return null;
}

export function attributes(kvs: IKeyValue[] | undefined): Record<string, Value> {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key, plain(kv.value)]));
}

/** A span as received, decoded: ids in hex, times in ms, attributes as plain values, its resource's attributes. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  status: { code: number; message?: string };
  attributes: Record<string, Value>;
  resource: Record<string, Value>;
  scope: string;
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  kind: 'histogram' | 'sum' | 'gauge' | 'other';
  resource: Record<string, Value>;
  points: { attributes: Record<string, Value>; count?: number; sum?: number; value?: number }[];
}

const hex = (id: unknown): string => (typeof id === 'string' ? id : Buffer.from(id as Uint8Array).toString('hex'));
const ms = (nanos: unknown): number => Number(BigInt(String(typeof nanos === 'object' && nanos !== null ? 0 : nanos)) / 1_000_000n);

export function decodeTraces(body: IExportTraceServiceRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of (ss.spans ?? []) as ISpan[]) {
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: hex(s.parentSpanId) } : {}),
          name: s.name,
          kind: s.kind,
          startMs: ms(s.startTimeUnixNano),
          endMs: ms(s.endTimeUnixNano),
          status: { code: s.status?.code ?? 0, ...(s.status?.message ? { message: s.status.message } : {}) },
          attributes: attributes(s.attributes),
          resource,
          scope: ss.scope?.name ?? '',
        });
      }
    }
  }
  return out;
}

export function decodeMetrics(body: IExportMetricsServiceRequest): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of body.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of (sm.metrics ?? []) as IMetric[]) {
        const kind = m.histogram ? 'histogram' : m.sum ? 'sum' : m.gauge ? 'gauge' : 'other';
        const raw = (m.histogram?.dataPoints ?? m.sum?.dataPoints ?? m.gauge?.dataPoints ?? []) as { attributes: IKeyValue[]; count?: number; sum?: number; asDouble?: number; asInt?: number }[];
        out.push({
          name: m.name,
          unit: m.unit ?? '',
          kind,
          resource,
          points: raw.map((p) => ({
            attributes: attributes(p.attributes),
            ...(p.count !== undefined ? { count: Number(p.count) } : {}),
            ...(p.sum !== undefined ? { sum: p.sum } : {}),
            ...(p.asDouble !== undefined ? { value: p.asDouble } : p.asInt !== undefined ? { value: Number(p.asInt) } : {}),
          })),
        });
      }
    }
  }
  return out;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  /** Every request's headers, in order. */
  headers: http.IncomingHttpHeaders[];
  /** The raw bodies, as they arrived (for searching them for keys). */
  raw: string[];
  /** How the receiver answers from now on: 200, another status, or never (a collector that hangs). */
  answer: number | 'hang';
  reset(): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const r: OtlpReceiver = {
    url: '',
    spans: [],
    metrics: [],
    headers: [],
    raw: [],
    answer: 200,
    reset() {
      r.spans.length = 0;
      r.metrics.length = 0;
      r.headers.length = 0;
      r.raw.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (r.answer === 'hang') {
        hanging.add(res);
        return;
      }
      if (r.answer !== 200) {
        res.writeHead(r.answer, { 'content-type': 'application/json' });
        res.end('{"code":3,"message":"refused by the test"}');
        return;
      }
      r.raw.push(text);
      r.headers.push(req.headers);
      try {
        if (req.url?.endsWith('/v1/traces')) r.spans.push(...decodeTraces(JSON.parse(text) as IExportTraceServiceRequest));
        else if (req.url?.endsWith('/v1/metrics')) r.metrics.push(...decodeMetrics(JSON.parse(text) as IExportMetricsServiceRequest));
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}

/** A port on 127.0.0.1 where nothing listens (a dead collector): connections are refused. */
export async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
