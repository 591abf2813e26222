import assert from 'node:assert/strict';
import { ProviderError } from '../../src/core/errors';

/** The ProviderError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function caught(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ProviderError, String(e));
    return e;
  }
  assert.fail('expected a rejection');
}
