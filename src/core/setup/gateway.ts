/**
 * Models behind an OpenAI-compatible gateway (LiteLLM, OpenRouter-style names): which catalogue model a gateway's
 * model name stands for, so that its list price can estimate a call before the gateway reports what it cost.
 * Pure: the catalogue is asked through `known`.
 */
import type { ProviderId } from '../types';
import { msg, type Message } from '../messages';

/** A catalogue model: provider and the catalogue's own id. */
export interface ListPriceModel {
  provider: ProviderId;
  id: string;
}

/**
 * Name prefixes gateways put before a model (LiteLLM's provider names, OpenRouter's vendors) → the provider whose
 * list price applies. Azure OpenAI bills OpenAI's models at OpenAI's list price; Vertex AI and Bedrock put their
 * own names on Claude and are not mapped.
 */
const PREFIXES: Readonly<Record<string, ProviderId>> = {
  openai: 'openai',
  azure: 'openai',
  anthropic: 'anthropic',
  dashscope: 'dashscope',
  qwen: 'dashscope',
  alibaba: 'dashscope',
};

/** A bare name is looked up in this order. */
const BARE_ORDER: readonly ProviderId[] = ['openai', 'anthropic', 'dashscope'];

/**
 * The catalogue model a gateway's model name maps to, or undefined when it maps to none.
 * - `provider/model` with a known prefix (`openai/gpt-4o`, `anthropic/claude-sonnet-4-5`, `dashscope/qwen-plus`):
 *   that provider's model, nothing else (a prefix says where the gateway sends it);
 * - an unknown prefix (`groq/llama-3.1-8b`, `my-team/gpt-4o`): none, since its price is not the list price;
 * - a bare name (`gpt-4o`, `qwen-plus`): the first provider whose catalogue has it.
 * `known(provider, id)` returns the catalogue's id for a name (matching dated ids and aliases), else undefined.
 */
export function gatewayListModel(name: string, known: (provider: ProviderId, id: string) => string | undefined): ListPriceModel | undefined {
  const n = name.trim();
  if (!n) return undefined;
  const slash = n.indexOf('/');
  if (slash >= 0) {
    const provider = PREFIXES[n.slice(0, slash).trim().toLowerCase()];
    const rest = n.slice(slash + 1).trim();
    if (!provider || !rest || rest.includes('/')) return undefined;
    const id = known(provider, rest);
    return id ? { provider, id } : undefined;
  }
  for (const provider of BARE_ORDER) {
    const id = known(provider, n);
    if (id) return { provider, id };
  }
  return undefined;
}

/** How a gateway model is priced in Tierwise, for its label. */
export type GatewayPricing =
  /** A price from `tierwise.models`: the user's own. */
  | { kind: 'settings' }
  /** The list price of a catalogue model; `reported`: the gateway has reported the cost of a call of this model. */
  | { kind: 'list'; of: ListPriceModel; reported: boolean }
  /** No price: the gateway's reported cost (if any) is all the ledger has. */
  | { kind: 'none'; reported: boolean };

/** Decides the pricing of one gateway model (see `GatewayPricing`). */
export function gatewayPricing(
  model: string,
  opts: { userPriced: boolean; reported: boolean; known: (provider: ProviderId, id: string) => string | undefined },
): GatewayPricing {
  if (opts.userPriced) return { kind: 'settings' };
  const of = gatewayListModel(model, opts.known);
  return of ? { kind: 'list', of, reported: opts.reported } : { kind: 'none', reported: opts.reported };
}

/** The `tierwise.models` entry that prices a gateway model, as a user would write it (prices per million tokens). */
export function gatewayPriceSettingExample(model: string): string {
  return JSON.stringify({ provider: 'openaiCompatible', id: model, input: 1, output: 2 });
}

/**
 * The label of a gateway model's price, for hovers and the answer panel: where the estimate comes from and what the
 * ledger records, or how to give the model a price. Undefined for a price from the settings.
 */
export function gatewayNote(model: string, p: GatewayPricing): Message | undefined {
  if (p.kind === 'settings') return undefined;
  if (p.kind === 'list') {
    const of = `${p.of.provider}/${p.of.id}`;
    return p.reported ? msg('setup.gateway.listPriceReported', of) : msg('setup.gateway.listPrice', of);
  }
  const example = gatewayPriceSettingExample(model);
  return p.reported ? msg('setup.gateway.noListPriceReported', model, example) : msg('setup.gateway.priceUnknown', model, example);
}

/**
 * The id the catalogue looks a name up by: it drops a leading `openai/`, `anthropic/`, `dashscope/`, `qwen/` or
 * `openaiCompatible/` (src/core/pricing/catalogue.ts, `clean`), so a gateway model stored as `openai/gpt-4o` is
 * found only through this alias.
 */
export function catalogueLookupId(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^(openai|anthropic|dashscope|qwen|openaicompatible)\//, '');
}
