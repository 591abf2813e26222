import assert from 'node:assert/strict';
import { estimateTokens } from '../../../src/core/tokens/estimate';
import { DEFAULT_TASKS, TASK_IDS } from '../../../src/core/routing/taskCatalogue';
import { buildMessages, buildUserContent, taskMaxTokens, taskOverheadTokens } from '../../../src/core/routing/tasks';
import { mergeTasks } from '../../../src/core/routing/taskSettings';
import { fence, roughTokens } from '../../../src/core/routing/text';
import { english } from '../../../src/core/messages';

describe('routing / task catalogue', () => {
  it('has every task of the catalogue, keyed by its own id', () => {
    assert.deepEqual(Object.keys(DEFAULT_TASKS).sort(), [...TASK_IDS].sort());
    for (const id of TASK_IDS) assert.equal(DEFAULT_TASKS[id].id, id);
  });

  it('keeps every system prompt well under 500 tokens (rough count) and non-trivial', () => {
    for (const t of Object.values(DEFAULT_TASKS)) {
      const n = roughTokens(t.system);
      assert.ok(n < 500, `${t.id}: ${n} tokens`);
      assert.ok(n > 40, `${t.id}: prompt too thin (${n} tokens)`);
    }
  });

  it('sizes max_tokens to the task', () => {
    const fixed = Object.fromEntries(
      Object.values(DEFAULT_TASKS).map((t) => [t.id, typeof t.maxTokens === 'number' ? t.maxTokens : 'scaled']),
    );
    assert.deepEqual(fixed, {
      classify: 10,
      extractKeywords: 60,
      convertFormat: 'scaled',
      summarise: 300,
      answer: 500,
      rewrite: 'scaled',
      explainCode: 800,
      reviewCode: 1200,
      generateCode: 2000,
      analyseDocument: 1500,
    });
    // Sized to the input: convert leaves room for growth, rewrite a little less, both capped.
    assert.equal(taskMaxTokens(DEFAULT_TASKS.convertFormat, 100), 224);
    assert.equal(taskMaxTokens(DEFAULT_TASKS.rewrite, 1000), 1364);
    assert.equal(taskMaxTokens(DEFAULT_TASKS.rewrite, 1_000_000), 8000);
    assert.equal(taskMaxTokens(DEFAULT_TASKS.convertFormat, 1_000_000), 16_000);
    assert.equal(taskMaxTokens(DEFAULT_TASKS.rewrite, 0), 64);
  });

  it('puts light tasks on the simple tier, summaries and questions on medium, code generation, review and long documents on complex', () => {
    const tiers = Object.fromEntries(Object.values(DEFAULT_TASKS).map((t) => [t.id, t.tier]));
    assert.equal(tiers.classify, 'simple');
    assert.equal(tiers.extractKeywords, 'simple');
    assert.equal(tiers.summarise, 'medium');
    assert.equal(tiers.answer, 'medium');
    assert.equal(tiers.explainCode, 'medium');
    assert.equal(tiers.reviewCode, 'complex');
    assert.equal(tiers.generateCode, 'complex');
    assert.equal(tiers.analyseDocument, 'complex');
  });

  it('has few-shot examples framed exactly like real user content', () => {
    const ex = DEFAULT_TASKS.classify.examples[0]!;
    const real = buildUserContent(DEFAULT_TASKS.classify, {
      selectionText: 'The export button does nothing when the file name has a space in it.',
      question: 'bug, feature request, question',
    });
    assert.equal(ex.user, real);
    for (const t of Object.values(DEFAULT_TASKS)) {
      for (const e of t.examples) assert.ok(e.user.startsWith('Input:\n```'), t.id);
    }
    // Outputs respect the task's own budget.
    for (const e of DEFAULT_TASKS.classify.examples) assert.ok(roughTokens(e.assistant) <= 10);
    for (const e of DEFAULT_TASKS.extractKeywords.examples) assert.ok(roughTokens(e.assistant) <= 60);
  });

  it('builds messages stable-first: system, few-shot pairs, then file header, selection and question last', () => {
    const built = buildMessages(DEFAULT_TASKS.classify, {
      selectionText: 'I love it',
      languageId: 'plaintext',
      fileName: 'notes.txt',
      question: 'happy, sad',
    });
    assert.equal(built.system, DEFAULT_TASKS.classify.system);
    assert.deepEqual(
      built.messages.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant', 'user', 'user'],
    );
    // The selection is its own message, marked as the end of the stable prefix; the question comes last.
    assert.deepEqual(built.messages.at(-2), {
      role: 'user',
      content: 'File: notes.txt (plaintext)\n\nInput:\n```\nI love it\n```',
      stable: true,
    });
    assert.deepEqual(built.messages.at(-1), { role: 'user', content: 'Labels: happy, sad' });
    assert.equal(
      buildUserContent(DEFAULT_TASKS.classify, { selectionText: 'I love it', languageId: 'plaintext', fileName: 'notes.txt', question: 'happy, sad' }),
      'File: notes.txt (plaintext)\n\nInput:\n```\nI love it\n```\n\nLabels: happy, sad',
    );
  });

  it('keeps the prefix identical for two questions about the same selection', () => {
    const a = buildMessages(DEFAULT_TASKS.answer, { selectionText: 'const x = 1;', languageId: 'typescript', question: 'What is x?' });
    const b = buildMessages(DEFAULT_TASKS.answer, { selectionText: 'const x = 1;', languageId: 'typescript', question: 'Why const?' });
    assert.equal(a.system, b.system);
    assert.deepEqual(a.messages.slice(0, -1), b.messages.slice(0, -1));
    assert.notDeepEqual(a.messages.at(-1), b.messages.at(-1));
    // No question: the selection is the last message and still marked stable.
    const e = buildMessages(DEFAULT_TASKS.explainCode, { selectionText: 'let y;', languageId: 'typescript' });
    assert.equal(e.messages.length, 1);
    assert.equal(e.messages[0]!.stable, true);
  });

  it('fences code with its language id and says which language when there is no file name', () => {
    assert.equal(
      buildUserContent(DEFAULT_TASKS.explainCode, { selectionText: 'let x = 1;', languageId: 'typescript' }),
      'Language: typescript\n\nInput:\n```typescript\nlet x = 1;\n```',
    );
    assert.equal(
      buildUserContent(DEFAULT_TASKS.answer, {
        selectionText: 'def f(): pass',
        languageId: 'python',
        fileName: 'a.py',
        question: '  What does f return? ',
      }),
      'File: a.py (python)\n\nInput:\n```python\ndef f(): pass\n```\n\nQuestion: What does f return?',
    );
    // Prose tasks are not tagged with a language.
    assert.equal(
      buildUserContent(DEFAULT_TASKS.summarise, { selectionText: 'Hello.', languageId: 'markdown' }),
      'Input:\n```\nHello.\n```',
    );
  });

  it('fences content that itself contains backtick fences with a longer fence', () => {
    const md = 'See:\n```js\nx()\n```\n';
    assert.equal(fence(md, 'markdown'), '````markdown\nSee:\n```js\nx()\n```\n````');
  });

  it('counts the prompt a task adds around the selection', () => {
    const t = DEFAULT_TASKS.classify;
    const withQ = taskOverheadTokens(t, { question: 'a, b' });
    const withoutQ = taskOverheadTokens(t, {});
    assert.ok(withQ > withoutQ);
    const exampleTokens = t.examples.reduce((n, e) => n + roughTokens(e.user) + roughTokens(e.assistant), 0);
    assert.ok(withoutQ >= roughTokens(t.system) + exampleTokens);
    assert.ok(withoutQ < roughTokens(t.system) + exampleTokens + 20);
  });

  it('rough token count: the one offline estimate (src/core/tokens/estimate.ts)', () => {
    assert.equal(roughTokens(''), 0);
    for (const t of ['abcdefgh', '你好世界', 'export function fib(n: number) { return n; }']) assert.equal(roughTokens(t), estimateTokens(t));
  });
});

describe('routing / user tasks from settings', () => {
  it('overrides only the given fields of a built-in task', () => {
    const { tasks, problems } = mergeTasks({ explainCode: { tier: 'simple', maxTokens: 400 } });
    assert.deepEqual(problems, []);
    assert.equal(tasks.explainCode!.tier, 'simple');
    assert.equal(tasks.explainCode!.maxTokens, 400);
    assert.equal(tasks.explainCode!.system, DEFAULT_TASKS.explainCode.system);
    // The defaults are not mutated.
    assert.equal(DEFAULT_TASKS.explainCode.tier, 'medium');
  });

  it('adds a new task with defaults for the fields it leaves out', () => {
    const { tasks, problems } = mergeTasks({
      translateFr: {
        label: 'Translate to French',
        tier: 'simple',
        system: 'Translate the input into French. Reply with the translation only.',
        maxTokens: { perInputToken: 1.5, base: 20 },
        examples: [{ user: 'Input:\n```\nHello\n```', assistant: 'Bonjour' }],
        question: 'Tone',
      },
    });
    assert.deepEqual(problems, []);
    const t = tasks.translateFr!;
    assert.equal(t.noun, 'translate to french');
    assert.equal(t.code, true);
    assert.deepEqual(t.maxTokens, { perInputToken: 1.5, base: 20, max: 16_000 });
    assert.deepEqual(t.question, { label: 'Tone', prompt: 'Tone', required: false });
    assert.equal(taskMaxTokens(t, 100), 170);
    assert.equal(Object.keys(tasks).length, TASK_IDS.length + 1);
  });

  it('reports invalid entries and fields instead of throwing, and keeps the valid parts', () => {
    const { tasks, problems } = mergeTasks({
      classify: { tier: 'huge', maxTokens: -3, temperature: 'hot', colour: 'red', label: 'Sort' },
      'bad id!': { tier: 'simple', system: 'x' },
      noSystem: { tier: 'simple', label: 'Nothing' },
      notAnObject: 42,
      badExamples: { tier: 'medium', system: 'Do it.', examples: [{ user: 'hi' }] },
      scaledBad: { tier: 'medium', system: 'Do it.', maxTokens: { perInputToken: 0 } },
    });
    assert.deepEqual(problems.map(english), [
      'tierwise.tasks.classify.colour: unknown field (known: label, noun, tier, system, examples, maxTokens, temperature, question, code); ignored.',
      'tierwise.tasks.classify.tier: must be one of simple, medium, complex or auto; ignored.',
      'tierwise.tasks.classify.maxTokens: must be an integer from 1 to 200000; ignored.',
      'tierwise.tasks.classify.temperature: must be a number from 0 to 2; ignored.',
      "tierwise.tasks.bad id!: invalid task id (letters, digits, '_', '.', '-'; starting with a letter); ignored.",
      'tierwise.tasks.noSystem: a new task needs a valid system; task not added.',
      'tierwise.tasks.notAnObject: must be an object; ignored.',
      'tierwise.tasks.badExamples.examples: item 0 must be { user: string, assistant: string }; ignored.',
      'tierwise.tasks.scaledBad.maxTokens: perInputToken must be a number in (0, 10]; ignored.',
    ]);
    assert.equal(tasks.classify!.label, 'Sort');
    assert.equal(tasks.classify!.tier, 'simple');
    assert.equal(tasks.classify!.maxTokens, 10);
    assert.equal(tasks.noSystem, undefined);
    assert.equal(tasks.badExamples!.examples.length, 0);
    assert.equal(tasks.scaledBad!.maxTokens, 800);
  });

  it('accepts a long system prompt but warns about its size', () => {
    const { tasks, problems } = mergeTasks({ essay: { tier: 'complex', system: 'word '.repeat(500) } });
    assert.ok(tasks.essay);
    assert.equal(problems.length, 1);
    const text = english(problems[0]!);
    assert.ok(text.startsWith(`tierwise.tasks.essay.system: about ${estimateTokens('word '.repeat(500))} tokens`), text);
  });

  it('ignores a setting that is not an object', () => {
    const { tasks, problems } = mergeTasks(['classify']);
    assert.equal(Object.keys(tasks).length, TASK_IDS.length);
    assert.equal(problems.length, 1);
  });
});
