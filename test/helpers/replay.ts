/**
 * A replay server for recorded provider responses (test/fixtures/wire/*.http): on 127.0.0.1 and a random port, it
 * answers a request with the recording registered for its method and path — status, headers and body, a
 * text/event-stream body written event by event as the provider sent it — and keeps every request it received.
 *
 * A recording is an HTTP/1.1 response as text: the status line, the header lines, an empty line, the body.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const WIRE_DIR = path.resolve(__dirname, '..', 'fixtures', 'wire');

export interface Recording {
  name: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ReplayServer {
  url: string;
  requests: ReceivedRequest[];
  /** Answer `method path` with a recording (by file name without .http, or as read); replaces an earlier one. */
  serve(method: string, path: string, rec: string | Recording): void;
  /** Forget the routes and the requests. */
  reset(): void;
  close(): Promise<void>;
}

/** Reads test/fixtures/wire/<name>.http. */
export function recording(name: string): Recording {
  const text = readFileSync(path.join(WIRE_DIR, `${name}.http`), 'utf8');
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error(`${name}.http: no empty line after the headers`);
  const [statusLine, ...headerLines] = text.slice(0, split).split('\n');
  const m = /^HTTP\/1\.1 (\d{3}) ?(.*)$/.exec(statusLine ?? '');
  if (!m) throw new Error(`${name}.http: the first line is not an HTTP/1.1 status line`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`${name}.http: bad header line ${JSON.stringify(line)}`);
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { name, status: Number(m[1]), statusText: m[2] ?? '', headers, body: text.slice(split + 2) };
}

/** A server-sent-events body cut after each event (the blank line), as the provider flushed it. */
export function sseEvents(body: string): string[] {
  const parts = body.split(/(?<=\n\n)/);
  return parts.filter((p) => p.length > 0);
}

/**
 * `rewriteOrigins`: recorded absolute URLs (Anthropic's results_url) on these origins are served with the replay
 * server's own origin instead, as a cassette player substitutes the host it stands in for.
 */
export async function startReplay(opts: { rewriteOrigins?: string[] } = {}): Promise<ReplayServer> {
  const routes = new Map<string, Recording>();
  const requests: ReceivedRequest[] = [];
  let url = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
      requests.push({ method: req.method ?? 'GET', path: pathname, headers, body: Buffer.concat(chunks).toString('utf8') });
      const rec = routes.get(`${req.method} ${pathname}`);
      if (!rec) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no recording for ${req.method} ${pathname}`, type: 'replay_error' } }));
        return;
      }
      void send(res, rec);
    });
  });
  const send = async (res: http.ServerResponse, rec: Recording) => {
    let body = rec.body;
    for (const origin of opts.rewriteOrigins ?? []) body = body.split(origin).join(url);
    const headers = { ...rec.headers };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    res.writeHead(rec.status, rec.statusText || undefined, headers);
    if (!/^text\/event-stream/i.test(headers['content-type'] ?? '')) {
      res.end(body);
      return;
    }
    for (const event of sseEvents(body)) {
      if (res.destroyed) return;
      res.write(event);
      // Let each event leave as its own chunk before the next is written.
      await new Promise<void>((r) => setImmediate(r));
    }
    res.end();
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    serve(method, p, rec) {
      routes.set(`${method.toUpperCase()} ${p}`, typeof rec === 'string' ? recording(rec) : rec);
    },
    reset() {
      routes.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
