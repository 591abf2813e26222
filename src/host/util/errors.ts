import { describeProviderError, isProviderError, type DescribeContext, type ProviderError } from '../../core/errors';
import { localize } from './l10n';

/** A provider error as a sentence the user can act on, with the provider's request id, in the display language. */
export function describeError(err: ProviderError, ctx: DescribeContext): { message: string } {
  return { message: localize(describeProviderError(err, ctx)) };
}

/** Any error's text for the user: a provider error's own message in the display language, else its English. */
export function errorText(e: unknown): string {
  if (isProviderError(e) && e.text) return localize(e.text);
  return e instanceof Error ? e.message : String(e);
}
