import assert from 'node:assert/strict';
import { english, fill, formatMessage, isMessage, msg, type Message, type MessageArg } from '../../../src/core/messages';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { LearnedRouting } from '../../../src/core/routing/learned';
import type { Route, RouteError } from '../../../src/core/routing/router';
import { Router, isRouteError } from '../../../src/core/routing/router';
import { DEFAULT_TASKS, TASK_IDS, taskLabel, taskNoun, taskQuestionLabel, taskQuestionPrompt } from '../../../src/core/routing/taskCatalogue';
import { mergeTasks } from '../../../src/core/routing/taskSettings';
import { tierName } from '../../../src/core/routing/tiers';
import { TIERS } from '../../../src/core/types';
import { TEST_TIERS, ask, ok, ports } from './fixtures';


function err(r: Route | RouteError | undefined): RouteError {
  assert.ok(r && isRouteError(r), 'expected a route error');
  return r;
}

/** Every string argument of a message, nested ones included. */
function rawArgs(m: MessageArg): string[] {
  if (typeof m === 'number') return [];
  if (typeof m === 'string') return [m];
  return m.args.flatMap(rawArgs);
}

/** Every message id of a message, nested ones included, outermost first. */
function ids(m: MessageArg): string[] {
  return isMessage(m) ? [m.id, ...m.args.flatMap(ids)] : [];
}

/**
 * A pseudo-language whose every template word is "字": what is left in Latin letters came from a raw argument, not
 * from a template. A sentence glued together in code would keep its English words.
 */
const pseudo = (m: Message) => formatMessage(m, (template, args) => fill(template.replace(/[A-Za-z]+/g, '字'), args));

/** The text left in Latin letters once the raw arguments (model names, ids, numbers) are taken out. */
function englishLeft(m: Message): string[] {
  let text = pseudo(m);
  for (const a of rawArgs(m).sort((x, y) => y.length - x.length)) text = text.split(a).join(' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

/** A few templates in Chinese, the way the zh-cn bundle gives them to `vscode.l10n.t`. */
const ZH: Record<string, string> = {
  simple: '简单',
  medium: '中等',
  complex: '复杂',
  ', ': '，',
  '; ': '；',
  '{0} and {1}': '{0}和{1}',
  '{0}{1}{2}': '{0}{1}{2}',
  '{0} tier: {1}, {2} input tokens → {3}': '{0}层级：{1}，{2} 个输入 token → {3}',
  'asks for {0} ({1} steps)': '要求{0}（{1} 步）',
  'a proof': '证明',
  'an implementation': '实现',
};
const chinese = (m: Message) => formatMessage(m, (template, args) => fill(ZH[template] ?? template, args));

describe('routing: sentences for users are catalogue messages', () => {
  const router = new Router(defaultRoutingConfig('openai'), ports(['openai']));
  // The tiers of the fake catalogue: windows and prices known.
  const priced = new Router({ ...defaultRoutingConfig('openai'), tiers: structuredClone(TEST_TIERS) }, ports(['openai', 'anthropic', 'dashscope']));

  it('a Chinese request: its reason line is a message with the tier, the intents and the steps as messages', () => {
    const r = ok(router.route(ask('证明这个循环会终止，然后实现它')));
    assert.equal(r.tier, 'complex');
    assert.deepEqual(r.reasonMsg, msg('routing.reason.auto', tierName('complex'), r.auto!.assessment.signalMsgs[0]!, '180', 'gpt-6.2-astra'));
    assert.deepEqual(r.auto!.assessment.signalMsgs, [
      msg('routing.signal.asksForSteps', msg('routing.list.and', msg('routing.intent.proof'), msg('routing.intent.implementation')), 2),
    ]);
    assert.equal(r.reason, 'complex tier: asks for a proof and an implementation (2 steps), 180 input tokens → gpt-6.2-astra');
    assert.equal(chinese(r.reasonMsg), '复杂层级：要求证明和实现（2 步），180 个输入 token → gpt-6.2-astra');
  });

  it('the Chinese intents the router recognises are named by messages, one per intent', () => {
    const cases: [string, string][] = [
      ['这个函数是什么语言写的？', 'routing.intent.lookup'],
      ['解释一下这段代码', 'routing.intent.explanation'],
      ['总结这段文字', 'routing.intent.summary'],
      ['把它翻译成英文', 'routing.intent.conversion'],
      ['重构这个模块', 'routing.intent.refactoring'],
      ['修复这个崩溃', 'routing.intent.debugging'],
      ['优化这段代码的性能', 'routing.intent.optimisation'],
    ];
    for (const [q, id] of cases) {
      const signals = ok(router.route(ask(q))).auto!.assessment.signalMsgs;
      assert.deepEqual(signals[0], msg('routing.signal.asksFor', { id, args: [] } as Message), q);
    }
  });

  it('tier names are messages wherever a sentence names a tier', () => {
    assert.deepEqual(TIERS.map((t) => tierName(t).id), ['routing.tier.simple', 'routing.tier.medium', 'routing.tier.complex']);
    assert.deepEqual(TIERS.map((t) => english(tierName(t))), [...TIERS]);
    const routes = [
      ok(router.route(ask('What language is this?'))),
      ok(router.route(ask('What language is this?', { override: { tier: 'complex' } }))),
      ok(priced.route({ task: 'classify', inputTokens: 9000, selectionText: 'x' })),
      ok(priced.route({ task: 'explainCode', inputTokens: 140_000, selectionText: 'x', override: { tier: 'medium' } })),
    ];
    routes.push(ok(router.escalate(routes[0]!, ask('What language is this?'))));
    assert.deepEqual(routes[3]!.reasonMsg.args[2], msg('routing.cause.overWindow', '140,000', 'gpt-4o', '128,000'));
    for (const r of routes) {
      assert.deepEqual(rawArgs(r.reasonMsg).filter((a) => (TIERS as readonly string[]).includes(a)), [], r.reason);
      assert.ok(ids(r.reasonMsg).includes(`routing.tier.${r.tier}`), r.reason);
    }
    const escalated = routes[4]!;
    assert.deepEqual(escalated.reasonMsg, msg('routing.reason.escalatedOnRequest', tierName('medium'), tierName('simple'), escalated.model));
  });

  it('every reason line, refusal and budget question is worded by templates only; the English fields are its English', () => {
    const learned = new LearnedRouting();
    const taught = new Router(defaultRoutingConfig('openai'), { ...ports(['openai']), learned: (f) => learned.match(f) });
    const first = ok(taught.route(ask('Explain what this function does.')));
    learned.add(first.auto!.assessment.features, 'complex', first.tier, 1);
    const cheapest = new Router({ ...defaultRoutingConfig('openai'), tiers: structuredClone(TEST_TIERS), policy: 'cheapest' }, ports(['openai', 'anthropic', 'dashscope']));
    const routes: Route[] = [
      first,
      ok(taught.route(ask('Explain how this function works.'))),
      ok(router.route(ask('Thoughts?', { judged: { tier: 'simple', model: 'gpt-6-luna' } }))),
      ok(router.route(ask('1. list the imports\n2. explain them\n3. rename them'))),
      ok(router.route(ask('Thoughts?', { selectionText: 'word '.repeat(4000), inputTokens: 5000, languageId: 'plaintext' }))),
      ok(router.route(ask('Briefly: what does this return?'))),
      ok(priced.route({ task: 'reviewCode', inputTokens: 500, selectionText: 'x', override: { model: 'gpt-4o-mini' } })),
      ok(priced.route({ task: 'classify', inputTokens: 9000, selectionText: 'x' })),
      ok(priced.route({ task: 'explainCode', inputTokens: 140_000, selectionText: 'x', override: { tier: 'medium' } })),
      ok(priced.route({ task: 'explainCode', inputTokens: 500, selectionText: 'x', override: { tier: 'simple' } })),
      ok(cheapest.route({ task: 'classify', inputTokens: 1000, selectionText: 'x' })),
      ok(priced.route({ task: 'reviewCode', inputTokens: 5000, selectionText: 'x', remainingBudgetUsd: 0.0001 })),
    ];
    for (const r of routes) {
      assert.equal(r.reason, english(r.reasonMsg));
      assert.deepEqual(englishLeft(r.reasonMsg), [], r.reason);
      assert.deepEqual(r.auto?.assessment.signals ?? [], (r.auto?.assessment.signalMsgs ?? []).map(english));
    }
    const over = routes.at(-1)!;
    assert.ok(over.needsConfirmationMsg);
    assert.equal(over.needsConfirmation, english(over.needsConfirmationMsg));
    assert.deepEqual(englishLeft(over.needsConfirmationMsg), [], over.needsConfirmation);

    const errors = [
      err(priced.route({ task: 'dance', inputTokens: 1, selectionText: 'x' })),
      err(priced.route({ task: 'explainCode', inputTokens: 5_000_000, selectionText: 'x' })),
      err(priced.route({ task: 'explainCode', inputTokens: 5_000_000, selectionText: 'x', override: { provider: 'openai', tier: 'medium' } })),
      err(priced.route({ task: 'explainCode', inputTokens: 5_000_000, selectionText: 'x', override: { provider: 'openai', tier: 'complex' } })),
      err(priced.route({ task: 'explainCode', inputTokens: 5_000_000, selectionText: 'x', override: { model: 'gpt-4o-mini' } })),
    ];
    for (const e of errors) {
      assert.equal(e.message, english(e.messageMsg));
      assert.deepEqual(englishLeft(e.messageMsg), [], e.message);
    }
    assert.deepEqual(errors[0]!.messageMsg, msg('routing.error.unknownTask', 'dance'));
  });

  it('the built-in task names are messages whose English is the task’s own text; the user’s own words stay as they are', () => {
    for (const id of TASK_IDS) {
      const t = DEFAULT_TASKS[id];
      assert.equal(taskLabel(t).id, `routing.task.${id}.label`);
      assert.equal(english(taskLabel(t)), t.label);
      assert.equal(taskNoun(t).id, `routing.task.${id}.noun`);
      assert.equal(english(taskNoun(t)), t.noun);
      if (t.question) {
        assert.equal(english(taskQuestionLabel(t)!), t.question.label);
        assert.equal(english(taskQuestionPrompt(t)!), t.question.prompt);
        assert.equal(taskQuestionPrompt(t)!.id, `routing.task.${id}.questionPrompt`);
      } else assert.equal(taskQuestionLabel(t), undefined);
    }
    const { tasks } = mergeTasks({ classify: { label: 'Sort' }, translate: { tier: 'simple', system: 'Translate.', label: 'Translate to French' } });
    assert.deepEqual(taskLabel(tasks.classify!), msg('common.asIs', 'Sort'));
    assert.deepEqual(taskNoun(tasks.classify!), msg('routing.task.classify.noun'));
    assert.deepEqual(taskLabel(tasks.translate!), msg('common.asIs', 'Translate to French'));
    // A refusal names the task in the user's language too.
    const e = err(priced.route({ task: 'explainCode', inputTokens: 5_000_000, selectionText: 'x' }));
    assert.deepEqual(e.messageMsg.args[0], msg('routing.task.explainCode.label'));
  });
});
