/**
 * The fake provider (test/fake-provider/server.ts) for a mocha `describe`: started once before its tests, reset
 * before each, closed after; and Tierwise's providers and batch clients built against it over real HTTP.
 */
import type { Clock } from '../../src/core/clock';
import { createProvider, type Provider } from '../../src/core/providers';
import { BatchClient, type BatchClientConfig } from '../../src/core/batch/client';
import type { ProviderId } from '../../src/core/types';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server';

export interface FakeProviderHandle {
  /** The running fake (valid inside the suite's tests and hooks). */
  readonly fake: FakeProvider;
  /** The fake's base URL for a provider, as a user would set it. */
  baseUrl(id: ProviderId): string;
  /** Tierwise's provider `id` (its official SDK) pointed at the fake. */
  provider(id: ProviderId, apiKey: string, over?: Record<string, unknown>, clock?: Clock): Provider;
  /** A batch client pointed at the fake. */
  batchClient(provider: BatchClientConfig['provider'], over: Omit<BatchClientConfig, 'provider' | 'baseUrl'>): BatchClient;
}

/** Call inside a `describe`: registers the hooks and returns the handle. */
export function useFakeProvider(): FakeProviderHandle {
  let fake: FakeProvider | undefined;
  before(async () => {
    fake = await startFakeProvider();
  });
  after(async () => {
    await fake?.close();
    fake = undefined;
  });
  beforeEach(() => fake?.reset());
  const running = (): FakeProvider => {
    if (!fake) throw new Error('the fake provider runs only inside the suite that uses it');
    return fake;
  };
  const baseUrl = (id: ProviderId): string => {
    const f = running();
    return id === 'anthropic' ? f.anthropicBaseUrl : id === 'dashscope' ? f.dashscopeBaseUrl : f.openaiBaseUrl;
  };
  return {
    get fake() {
      return running();
    },
    baseUrl,
    provider: (id, apiKey, over = {}, clock) => createProvider({ id, baseUrl: baseUrl(id), apiKey, ...over }, clock),
    batchClient: (provider, over) => new BatchClient({ provider, baseUrl: baseUrl(provider), ...over }),
  };
}
