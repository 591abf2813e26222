import assert from 'node:assert/strict';
import {
  abbreviate,
  assembleBatchAnswer,
  batchCustomIds,
  batchItemTexts,
  batchProgressText,
  failureMessage,
  failureText,
  isBatchProvider,
  nonEmptyLines,
} from '../../../src/core/batch/job';
import type { BatchItemResult } from '../../../src/core/batch/types';
import { validateBatchItems } from '../../../src/core/batch/validate';
import type { Usage } from '../../../src/core/types';
import { english, msg } from '../../../src/core/messages';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0): Usage => ({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens: 0, reasoningTokens: 0 });
const ok = (customId: string, text: string, u = usage(10, 5), finishReason: 'stop' | 'length' = 'stop'): BatchItemResult => ({ customId, ok: true, text, finishReason, usage: u, model: 'gpt-4o-mini-2024-07-18' });

describe('batch items from selections', () => {
  it('one selection split by lines: blank and whitespace-only lines dropped, CRLF and trailing spaces trimmed', () => {
    assert.deepEqual(batchItemTexts(['first line  \r\n\r\n   \n  second\tline\r\nthird'], 'lines'), ['first line', '  second\tline', 'third']);
  });

  it('one selection as a whole stays one item, untouched', () => {
    const text = 'a\n\nb\n';
    assert.deepEqual(batchItemTexts([text], 'whole'), [text]);
  });

  it('several selections: each non-empty selection is one item whatever the split', () => {
    assert.deepEqual(batchItemTexts(['one\ntwo', '', '  ', 'three'], 'lines'), ['one\ntwo', 'three']);
    assert.deepEqual(batchItemTexts(['one\ntwo', 'three'], 'whole'), ['one\ntwo', 'three']);
  });

  it('several selections of which one is non-empty: that one is split', () => {
    assert.deepEqual(batchItemTexts(['', 'x\ny'], 'lines'), ['x', 'y']);
  });

  it('nothing selected gives no items', () => {
    assert.deepEqual(batchItemTexts([], 'lines'), []);
    assert.deepEqual(batchItemTexts(['\n \n'], 'lines'), []);
    assert.deepEqual(nonEmptyLines(''), []);
  });

  it('custom ids are unique and valid for both APIs', () => {
    const ids = batchCustomIds(120);
    assert.equal(ids.length, 120);
    assert.equal(new Set(ids).size, 120);
    assert.equal(ids[0], 'item-1');
    const items = ids.map((customId) => ({ customId, request: { provider: 'anthropic' as const, model: 'claude-haiku-4-5', messages: [{ role: 'user' as const, content: 'x' }], maxTokens: 5 } }));
    assert.doesNotThrow(() => validateBatchItems('anthropic', items));
  });

  it('only OpenAI and Anthropic have batch support', () => {
    assert.equal(isBatchProvider('openai'), true);
    assert.equal(isBatchProvider('anthropic'), true);
    assert.equal(isBatchProvider('dashscope'), true);
    assert.equal(isBatchProvider('openaiCompatible'), false);
  });

  it('abbreviate collapses whitespace and cuts with an ellipsis', () => {
    assert.equal(abbreviate('  a\n\tb  c '), 'a b c');
    const long = 'x'.repeat(100);
    const a = abbreviate(long, 20);
    assert.equal(a.length, 20);
    assert.ok(a.endsWith('…'));
  });
});

describe('batch answer assembly', () => {
  const items = [
    { customId: 'item-1', label: 'the *first* line' },
    { customId: 'item-2', label: 'second' },
    { customId: 'item-3', label: 'third' },
  ];

  it('answers in the order submitted, whatever order the results came in; usage summed over successes', () => {
    const a = assembleBatchAnswer(items, [ok('item-3', 'C', usage(30, 3)), ok('item-1', 'A', usage(10, 1, 4)), ok('item-2', 'B', usage(20, 2))]);
    assert.equal(a.succeeded, 3);
    assert.equal(a.failed, 0);
    assert.deepEqual(a.usage, usage(60, 6, 4));
    const iA = a.markdown.indexOf('\n\nA');
    const iB = a.markdown.indexOf('\n\nB');
    const iC = a.markdown.indexOf('\n\nC');
    assert.ok(iA > 0 && iA < iB && iB < iC, a.markdown);
    assert.match(a.markdown, /^### 1\. the \\\*first\\\* line\n\nA\n\n### 2\. second\n\nB\n\n### 3\. third\n\nC\n$/);
    assert.deepEqual(a.outcomes.map((o) => o.item.customId), ['item-1', 'item-2', 'item-3']);
  });

  it('failures are marked with their reason; missing results count as failed; unknown ids are ignored', () => {
    const errored: BatchItemResult = { customId: 'item-2', ok: false, outcome: 'errored', code: 'invalid_request_error', status: 400, message: 'max_tokens is too large', retryable: false };
    const a = assembleBatchAnswer(items, [ok('item-1', 'A', usage(10, 1)), errored, ok('stranger', 'Z', usage(999, 999))]);
    assert.equal(a.succeeded, 1);
    assert.equal(a.failed, 2);
    assert.deepEqual(a.usage, usage(10, 1));
    assert.match(a.markdown, /### 2\. second\n\n> ❌ \*\*No answer\*\*: failed \(invalid_request_error, HTTP 400\): max_tokens is too large\./);
    assert.match(a.markdown, /### 3\. third\n\n> ❌ \*\*No answer\*\*: no result came back for this item\./);
    assert.ok(!a.markdown.includes('Z'));
    assert.equal(a.outcomes[2]!.result, undefined);
  });

  it('expired and cancelled items say they never ran; a cut answer is flagged', () => {
    const a = assembleBatchAnswer(items, [
      ok('item-1', 'partial', usage(10, 50), 'length'),
      { customId: 'item-2', ok: false, outcome: 'expired', message: 'expired', retryable: true },
      { customId: 'item-3', ok: false, outcome: 'cancelled', message: 'cancelled', retryable: true },
    ]);
    assert.equal(a.truncated, 1);
    assert.match(a.markdown, /partial\n\n> ⚠ This answer reached max_tokens/);
    assert.match(a.markdown, /expired before it ran/);
    assert.match(a.markdown, /cancelled before it ran/);
    assert.equal(failureText(ok('x', 'y')), '');
  });

  it('progress text counts finished items', () => {
    assert.equal(english(batchProgressText('in_progress', { total: 3, succeeded: 1, failed: 1 })), 'in progress: 2 of 3 done, 1 failed');
    assert.equal(english(batchProgressText('ended', { total: 3, succeeded: 2, failed: 0, cancelled: 1, expired: 0 })), 'ended: 3 of 3 done');
  });
});

describe('batch answer messages', () => {
  const failedItem = (over: Partial<Extract<BatchItemResult, { ok: false }>>): BatchItemResult => ({ customId: 'a', ok: false, outcome: 'errored', message: 'boom', retryable: false, ...over });

  it('a failure is a message; its English is the text the answer always had', () => {
    const m = failureMessage(failedItem({ code: 'invalid_request_error', status: 400 }))!;
    assert.equal(m.id, 'errors.batch.item.failed');
    assert.equal(english(m), 'failed (invalid_request_error, HTTP 400): boom');
    assert.equal(english(failureMessage(failedItem({ status: 500 }))!), 'failed (HTTP 500): boom');
    assert.equal(english(failureMessage(failedItem({ outcome: 'expired', code: 'batch_expired' }))!), 'expired before it ran (batch_expired)');
    assert.equal(failureMessage(failedItem({ outcome: 'cancelled' }))!.id, 'errors.batch.item.cancelled');
    assert.equal(english(failureMessage(undefined)!), 'no result came back for this item');
    // Tierwise's own sentence (no reason given) goes in as a message, not as English text.
    const own = failureMessage(failedItem({ message: 'The request failed without a reason.', text: msg('errors.batch.item.noReason') }))!;
    assert.equal((own.args[1] as { id: string }).id, 'errors.batch.item.noReason');
  });

  it('the answer is formatted in the language it is given', () => {
    const items = [{ customId: 'a', label: '' }, { customId: 'b', label: 'second' }];
    const upper = (m: Parameters<typeof english>[0]) => english(m).toUpperCase();
    const a = assembleBatchAnswer(items, [{ customId: 'a', ok: true, text: '', finishReason: 'length', usage: usage(1, 1), model: 'm' }, failedItem({ customId: 'b', message: 'x', text: msg('errors.batch.item.noReason') })], upper);
    assert.match(a.markdown, /### 1\. \(BLANK\)\n\n_\(EMPTY ANSWER\)_\n\n> ⚠ THIS ANSWER REACHED MAX_TOKENS AND WAS CUT SHORT\./);
    assert.match(a.markdown, /### 2\. second\n\n> ❌ \*\*NO ANSWER\*\*: FAILED: THE REQUEST FAILED WITHOUT A REASON\.\./);
    assert.deepEqual(batchProgressText('in_progress', { total: 3, succeeded: 1, failed: 1 }), msg('errors.batch.progressFailed', 'in progress', 2, 3, 1));
  });
});
