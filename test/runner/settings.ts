import type { FakeProvider } from '../fake-provider/server';

/** User settings that point every provider at the local fake provider. */
export function fakeProviderSettings(fake: Pick<FakeProvider, 'openaiBaseUrl' | 'anthropicBaseUrl' | 'dashscopeBaseUrl'>): Record<string, unknown> {
  return {
    'tierwise.providers.openai.baseUrl': fake.openaiBaseUrl,
    'tierwise.providers.anthropic.baseUrl': fake.anthropicBaseUrl,
    'tierwise.providers.dashscope.baseUrl': fake.dashscopeBaseUrl,
    'tierwise.providers.openaiCompatible.baseUrl': fake.openaiBaseUrl,
    'tierwise.retry.initialDelayMs': 50,
  };
}
