import assert from 'node:assert/strict';
import { dashscopeBatchRefusal } from '../../../src/core/batch/dashscope';
import { checkBatchSize, validateBatchItems } from '../../../src/core/batch/validate';
import { ProviderError } from '../../../src/core/errors';
import { english, type Message } from '../../../src/core/messages';
import type { ChatRequest } from '../../../src/core/types';
import { DASHSCOPE_REGION_LABELS } from '../../../src/core/providers/baseUrls';

const ids = (m: Message): string[] => [m.id, ...m.args.flatMap((a) => (typeof a === 'object' ? ids(a) : []))];
const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({ provider: 'openai', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], maxTokens: 5, ...over });
const refusal = (f: () => void): ProviderError => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ProviderError);
    return e;
  }
  assert.fail('no refusal');
};

describe('batch refusals as catalogue messages', () => {
  it('a batch refused before sending carries "not sent" and the reason, with the English as before', () => {
    const dup = refusal(() => validateBatchItems('openai', [{ customId: 'x', request: req() }, { customId: 'x', request: req() }]));
    assert.deepEqual(ids(dup.text!), ['errors.batch.notSent', 'errors.batch.duplicateId']);
    assert.equal(dup.message, 'Batch not sent: custom id "x" is used twice.');
    assert.equal(english(dup.text!), dup.message);
    const big = refusal(() => checkBatchSize('anthropic', 300 * 1024 * 1024));
    assert.deepEqual(ids(big.text!), ['errors.batch.notSent', 'errors.batch.tooLarge']);
    assert.equal(big.message, 'Batch not sent: 300.0 MB, more than the 256 MB allowed.');
  });

  it("DashScope's refusal of a model names the region and the models it takes", () => {
    const why = dashscopeBatchRefusal('qwen-long', 'international')!;
    assert.equal(why.id, 'errors.batch.dashscopeModel');
    assert.match(english(why), /^DashScope's Batch API in the international \(Singapore\) region does not take qwen-long; it takes qwen-max, /);
    const e = refusal(() => validateBatchItems('dashscope', [{ customId: 'a', request: req({ provider: 'dashscope', model: 'qwen-long' }) }], { dashscopeRegion: 'international' }));
    // The region is a message too: the Chinese sentence names it in Chinese.
    assert.deepEqual(ids(e.text!), ['errors.batch.notSent', 'errors.batch.dashscopeModel', 'setup.region.internationalInSentence']);
    assert.equal(e.message, `Batch not sent: ${english(why)}`);
  });
});

describe('DashScope region names as messages', () => {
  it('each region in a sentence is a message with the English it always had', () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(DASHSCOPE_REGION_LABELS).map(([r, m]) => [r, [m.id, english(m)]])),
      {
        china: ['setup.region.china', 'China (Beijing)'],
        international: ['setup.region.internationalInSentence', 'international (Singapore)'],
        us: ['setup.region.us', 'US (Virginia)'],
      },
    );
    assert.match(english(dashscopeBatchRefusal('qwen-plus', 'us')!), /for the US \(Virginia\) region/);
  });
});
