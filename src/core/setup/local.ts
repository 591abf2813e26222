/**
 * Local model servers and OpenAI-compatible gateways: where they are, which models they serve and what they can
 * count. Pure: every network call goes through the injected `fetch`, so tests drive it with a fake server.
 */
import { msg, type Message } from '../messages';

/** The part of `fetch` used here (the global one fits). */
export type FetchPort = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

export type LocalServerId = 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm';

export interface LocalServerKind {
  id: LocalServerId;
  /** Its name in English (product names stay as they are). */
  label: string;
  /** Its name for users, where it has words to translate ("llama.cpp server"). */
  labelMsg?: Message;
  defaultPort: number;
}

/** The usual local servers and their default ports (setting `tierwise.local.ports` changes them). */
export const LOCAL_SERVERS: readonly LocalServerKind[] = [
  { id: 'ollama', label: 'Ollama', defaultPort: 11434 },
  { id: 'lmstudio', label: 'LM Studio', defaultPort: 1234 },
  { id: 'llamacpp', label: 'llama.cpp server', labelMsg: msg('setup.local.llamacpp'), defaultPort: 8080 },
  { id: 'vllm', label: 'vLLM', defaultPort: 8000 },
];

/** A local server's name for users (host: `localize`). */
export function localServerName(kind: Pick<LocalServerKind, 'label' | 'labelMsg'>): Message {
  return kind.labelMsg ?? msg('common.asIs', kind.label);
}

export type LocalPorts = Partial<Record<LocalServerId, number>>;

export interface FoundServer {
  kind: LocalServerKind;
  port: number;
  /** The OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1. */
  baseUrl: string;
  models: string[];
}

/** True for an http(s) URL on this machine (localhost, 127.0.0.0/8, ::1): a local server, whose calls are free. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function withTimeout(ms: number, outer?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(ms);
  return outer ? AbortSignal.any([t, outer]) : t;
}

function origin(baseUrl: string): string {
  const u = new URL(baseUrl);
  return `${u.protocol}//${u.host}`;
}

async function getJson(fetch: FetchPort, url: string, timeoutMs: number, headers?: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const r = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...headers }, signal: withTimeout(timeoutMs, signal) });
  if (!r.ok) throw new Error(`HTTP ${r.status} from ${url}`);
  return r.json();
}

/** Ids of an OpenAI-style model list `{ data: [{ id }] }`. */
export function modelIdsOf(body: unknown): string[] {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) return [];
  return data.map((m) => (m as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/** Names of Ollama's own listing `{ models: [{ name }] }`. */
export function ollamaNamesOf(body: unknown): string[] {
  const models = (body as { models?: unknown })?.models;
  if (!Array.isArray(models)) return [];
  return models.map((m) => (m as { name?: unknown; model?: unknown })?.name ?? (m as { model?: unknown })?.model).filter((n): n is string => typeof n === 'string' && n.length > 0);
}

/**
 * The models an OpenAI-compatible endpoint (local server or gateway) lists: `GET {baseUrl}/models`, and for Ollama
 * its own `GET /api/tags` when the first gives nothing. `apiKey` goes only to this base URL.
 */
export async function listModels(fetch: FetchPort, baseUrl: string, options: { apiKey?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : undefined;
  const base = baseUrl.replace(/\/+$/, '');
  let first: unknown;
  try {
    const ids = modelIdsOf(await getJson(fetch, `${base}/models`, timeoutMs, headers, options.signal));
    if (ids.length) return ids;
  } catch (e) {
    first = e;
  }
  try {
    const names = ollamaNamesOf(await getJson(fetch, `${origin(base)}/api/tags`, timeoutMs, headers, options.signal));
    if (names.length) return names;
  } catch {
    // not Ollama
  }
  if (first) throw first;
  return [];
}

/**
 * Looks for the usual local servers on loopback, all at once; each answers within `timeoutMs` or counts as absent.
 * A server that answers but lists no model is still reported (with no models), so the user can pull one.
 */
export async function discoverLocalServers(fetch: FetchPort, options: { ports?: LocalPorts; host?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<FoundServer[]> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 800;
  const probes = LOCAL_SERVERS.map(async (kind): Promise<FoundServer | undefined> => {
    const port = options.ports?.[kind.id] ?? kind.defaultPort;
    if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
    const baseUrl = `http://${host}:${port}/v1`;
    try {
      const models = await listModels(fetch, baseUrl, { timeoutMs, signal: options.signal });
      return { kind, port, baseUrl, models };
    } catch {
      return undefined;
    }
  });
  const found = (await Promise.all(probes)).filter((f): f is FoundServer => !!f);
  // Two kinds configured on one port are one server: keep the first.
  const seen = new Set<number>();
  return found.filter((f) => (seen.has(f.port) ? false : (seen.add(f.port), true)));
}

/**
 * The server's own token count of `text`, where it can count: llama.cpp (`POST /tokenize {content}` →
 * `{tokens: [...]}`) and vLLM (`POST /tokenize {model, prompt}` → `{count}`). undefined when it cannot.
 */
export async function serverTokenCount(fetch: FetchPort, baseUrl: string, model: string, text: string, options: { timeoutMs?: number; apiKey?: string } = {}): Promise<number | undefined> {
  try {
    const r = await fetch(`${origin(baseUrl)}/tokenize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      body: JSON.stringify({ model, prompt: text, content: text, add_special: false, add_special_tokens: false }),
      signal: withTimeout(options.timeoutMs ?? 2000),
    });
    if (!r.ok) return undefined;
    const body = (await r.json()) as { count?: unknown; tokens?: unknown };
    if (typeof body.count === 'number' && Number.isInteger(body.count) && body.count >= 0) return body.count;
    if (Array.isArray(body.tokens)) return body.tokens.length;
    return undefined;
  } catch {
    return undefined;
  }
}

/** LiteLLM's `GET /key/info`: the key's spend and budget, in USD. */
export interface GatewayBudget {
  spendUsd: number;
  maxBudgetUsd?: number;
  /** spend / max budget. */
  fraction?: number;
  /** 'warn' from 80%, 'over' from 100%. */
  level: 'ok' | 'warn' | 'over';
}

export function gatewayBudgetOf(body: unknown): GatewayBudget | undefined {
  const info = ((body as { info?: unknown })?.info ?? body) as { spend?: unknown; max_budget?: unknown };
  if (typeof info?.spend !== 'number' || !Number.isFinite(info.spend)) return undefined;
  const spendUsd = info.spend;
  const max = typeof info.max_budget === 'number' && info.max_budget > 0 ? info.max_budget : undefined;
  const fraction = max ? spendUsd / max : undefined;
  const level = fraction === undefined ? 'ok' : fraction >= 1 ? 'over' : fraction >= 0.8 ? 'warn' : 'ok';
  return { spendUsd, ...(max !== undefined ? { maxBudgetUsd: max } : {}), ...(fraction !== undefined ? { fraction } : {}), level };
}

/** The key's budget from a LiteLLM gateway, or undefined where the gateway has no `/key/info`. */
export async function gatewayBudget(fetch: FetchPort, baseUrl: string, apiKey: string | undefined, timeoutMs = 3000): Promise<GatewayBudget | undefined> {
  try {
    return gatewayBudgetOf(await getJson(fetch, `${origin(baseUrl)}/key/info`, timeoutMs, apiKey ? { authorization: `Bearer ${apiKey}` } : undefined));
  } catch {
    return undefined;
  }
}

/** LiteLLM's `x-litellm-response-cost` header (USD), when present and a number. */
export function gatewayReportedCost(headers: Record<string, string> | undefined): number | undefined {
  const raw = headers?.['x-litellm-response-cost'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
