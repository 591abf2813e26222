import { describeProviderError, type DescribeContext, type ProviderError } from '../../core/errors';
import { localize } from './l10n';

/** A provider error as a sentence the user can act on, with the provider's request id, in the display language. */
export function describeError(err: ProviderError, ctx: DescribeContext): { message: string } {
  return { message: localize(describeProviderError(err, ctx)) };
}
