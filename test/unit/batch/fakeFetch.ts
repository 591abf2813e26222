import type { FetchPort } from '../../../src/core/batch/client';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: RequestInit['body'];
}

type Reply = Response | (() => Response | Promise<Response>);

/** A fetch port answering from a script: each "METHOD url" has a queue of replies (the last one repeats). */
export class FakeFetch {
  calls: Call[] = [];
  private routes = new Map<string, Reply[]>();

  on(method: string, url: string, ...replies: Reply[]): this {
    this.routes.set(`${method} ${url}`, replies);
    return this;
  }

  readonly fetch: FetchPort = async (url, init) => {
    const method = init.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    this.calls.push({ method, url, headers, body: init.body });
    if (init.signal?.aborted) throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const queue = this.routes.get(`${method} ${url}`);
    if (!queue || queue.length === 0) return json(404, { error: { message: `no route ${method} ${url}`, type: 'not_found_error' } });
    const r = queue.length > 1 ? queue.shift()! : queue[0]!;
    return typeof r === 'function' ? r() : r.clone();
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function text(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
}
