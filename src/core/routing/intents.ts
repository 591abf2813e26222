/**
 * What a free-form request asks for: its intents, clause by clause, in English and Chinese, and the cues for the
 * length of answer it wants. Used by the complexity router (complexity.ts).
 */
import type { Tier } from '../types';
import { msg, type Message } from '../messages';

interface AnswerSize {
  base: number;
  perToken?: number;
  max?: number;
}

/**
 * Every intent with the tier it needs on its own (before size and steps), its words for the reason line (a message), and the
 * answer it expects: `base + ceil(selectionTokens * perToken)` tokens, at most `max`.
 */
const INTENT_TABLE = {
  lookup: { tier: 'simple', noun: msg('routing.intent.lookup'), answer: { base: 60 } },
  extraction: { tier: 'simple', noun: msg('routing.intent.extraction'), answer: { base: 80, perToken: 0.25, max: 1500 } },
  conversion: { tier: 'simple', noun: msg('routing.intent.conversion'), answer: { base: 64, perToken: 1.3, max: 16_000 } },
  classification: { tier: 'simple', noun: msg('routing.intent.classification'), answer: { base: 60 } },
  explanation: { tier: 'medium', noun: msg('routing.intent.explanation'), answer: { base: 350, perToken: 0.3, max: 1500 } },
  summary: { tier: 'medium', noun: msg('routing.intent.summary'), answer: { base: 200, perToken: 0.08, max: 800 } },
  rewriting: { tier: 'medium', noun: msg('routing.intent.rewriting'), answer: { base: 64, perToken: 1.3, max: 16_000 } },
  documentation: { tier: 'medium', noun: msg('routing.intent.documentation'), answer: { base: 200, perToken: 0.5, max: 4000 } },
  comparison: { tier: 'medium', noun: msg('routing.intent.comparison'), answer: { base: 350, perToken: 0.3, max: 1500 } },
  review: { tier: 'complex', noun: msg('routing.intent.review'), answer: { base: 1200 } },
  design: { tier: 'complex', noun: msg('routing.intent.design'), answer: { base: 1500 } },
  proof: { tier: 'complex', noun: msg('routing.intent.proof'), answer: { base: 1500 } },
  refactoring: { tier: 'complex', noun: msg('routing.intent.refactoring'), answer: { base: 400, perToken: 1.4, max: 16_000 } },
  implementation: { tier: 'complex', noun: msg('routing.intent.implementation'), answer: { base: 1800 } },
  debugging: { tier: 'complex', noun: msg('routing.intent.debugging'), answer: { base: 1200 } },
  optimisation: { tier: 'complex', noun: msg('routing.intent.optimisation'), answer: { base: 1200 } },
} as const satisfies Record<string, { tier: Tier; noun: Message; answer: AnswerSize }>;

export type Intent = keyof typeof INTENT_TABLE;

/** In this order for good: stored features refer to an intent by its index here. */
export const INTENTS = Object.keys(INTENT_TABLE) as readonly Intent[];

/** The tier an intent needs on its own, before size and steps. */
export function intentTier(i: Intent): Tier {
  return INTENT_TABLE[i].tier;
}

/** The answer an intent expects on a selection of `selectionTokens`, in tokens (before steps and length cues). */
export function intentAnswer(i: Intent, selectionTokens: number): number {
  const a: AnswerSize = INTENT_TABLE[i].answer;
  return a.perToken === undefined ? a.base : Math.min(a.max ?? Infinity, a.base + Math.ceil(selectionTokens * a.perToken));
}

/** Words for the reason line: "asks for a proof", "asks for an implementation" (in English and Chinese alike). */
export function intentNoun(i: Intent): Message {
  return INTENT_TABLE[i].noun;
}

interface Pattern {
  intent: Intent;
  re: RegExp;
  /** Strong cues win over an explanation or summary verb earlier in the clause ("explain why this deadlocks"). */
  strong?: boolean;
}

// Order matters only for ties at the same position: more specific patterns first.
const PATTERNS: readonly Pattern[] = [
  // --- complex ---
  { intent: 'proof', re: /\b(prove|proof|formally verify|show that|invariants?|terminates?|termination|counter-?example|loop invariant)\b/i, strong: true },
  { intent: 'proof', re: /证明|正确性|是否终止|会终止|反例|不变量|不变式/, strong: true },
  { intent: 'debugging', re: /\b(debug|deadlocks?|race conditions?|memory leaks?|leaks? memory|segfaults?|crash(es|ing)?|hangs?|root cause|flaky|intermittent(ly)?|stack ?trace|off-by-one|why (does|is|do|did) (this|it|the \w+) (fail|break|throw|return (null|undefined|nan|wrong)|give wrong|crash|hang|leak|loop forever)\w*|fix (this|the|a) (bug|error|crash|issue|race|leak|deadlock|exception|failure|failing test))\b/i, strong: true },
  { intent: 'debugging', re: /调试|修复|排查|报错|崩溃|死锁|内存泄漏|竞态|卡死|为什么.{0,12}(失败|出错|崩溃|不工作|报错)|找出.{0,6}bug|\bbug\b/i, strong: true },
  { intent: 'refactoring', re: /\b(refactor\w*|restructure|re-?organi[sz]e|split (this|that|it|the)( [\w-]+){0,2} into|extract (a |an |the )?(\w+ )?(class|module|function|method|interface|hook|component|service)s?\b|decouple|migrate (this|it)|port (this|that|it|the)( [\w-]+){0,2} to|rewrite (this|that|it|the)( [\w-]+){0,2} (in|to|as|using|with) (rust|go|python|typescript|java|c\+\+|async|a class|classes|hooks|generics|functional))\b/i },
  { intent: 'refactoring', re: /重构|拆分成|拆成|解耦|迁移到|改写成.{0,8}(类|函数|模块|异步)/ },
  { intent: 'design', re: /\b(design (a|an|the|my|our|this|it)|architect\b|propose (a|an) (design|architecture|approach|schema|api|plan)|how (should|would|could) (i|we|you) (design|architect|structure|scale|shard)|scal(e|ing) (this|it) to|system design|trade-?offs?|plan (the|a) migration)\b/i },
  { intent: 'design', re: /设计(一个|一套|方案)|架构设计|怎么设计|如何设计|如何扩展|权衡|技术方案/ },
  { intent: 'implementation', re: /\b(implement\w*|write (a |an |the |me |some )?(new )?(\w+[- ])?(function|class|module|parser|server|program|script|tests?|unit tests?|algorithm|cli|endpoint|handler|hook|component|migration|query|benchmark)s?\b|build (a|an|the)\b|add (support|a feature|an? option|caching|retries|retry|pagination|validation|error handling|logging|a flag|tests?)\b|generate (the )?(code|a function|tests|an implementation)|make (this|that|it|the)( [\w-]+){0,2} (thread-safe|type-safe|concurrent|async|generic|streaming|work with))/i },
  { intent: 'implementation', re: /实现|编写|写一个|写个|开发一个|添加.{0,6}(功能|支持|校验|缓存|重试)|生成代码|写.{0,4}(测试|单元测试)/ },
  { intent: 'optimisation', re: /\b(optimi[sz]e|speed (this|it) up|make (this|it) faster|reduce (the )?(latency|memory|allocations)|bottlenecks?|time complexity|big-?o|performance (of|problem|issue))\b/i, strong: true },
  { intent: 'optimisation', re: /优化|性能|复杂度|瓶颈|提速/, strong: true },
  { intent: 'review', re: /\b(review|audit|security (issues?|holes?|review|problems?)|vulnerab\w*|is (this|that|it|the)( [\w-]+){0,2} (thread-?safe|safe|secure|correct)|what could go wrong|find (the )?(bugs|issues|problems|edge cases)|edge cases)\b/i },
  { intent: 'review', re: /审查|审阅|代码评审|评审|安全漏洞|漏洞|线程安全|有没有问题|有什么问题|边界情况/ },
  // --- medium ---
  { intent: 'summary', re: /\b(summari[sz]e|summary|tl;?dr|gist|key points|main points|recap|in a nutshell|overview of)\b/i },
  { intent: 'summary', re: /总结|概括|摘要|归纳|要点|概述/ },
  { intent: 'rewriting', re: /\b(rewrite|rephrase|reword|polish|proofread|copy-?edit|make (it|this) (clearer|shorter|more (formal|concise|polite|friendly|readable)|less \w+)|improve the (wording|writing|phrasing|tone|readability)|fix (the )?(grammar|typos|spelling|wording)|simplify the (wording|language|text)|tone down)\b/i },
  { intent: 'rewriting', re: /改写|润色|重写|改得更|精简|校对|修改措辞|语法错误|更正式|更简洁/ },
  { intent: 'documentation', re: /\b(add (doc ?)?comments|write (a |the )?(docstring|jsdoc|doc comment|comment|commit message|changelog|readme|release notes?)|document (this|it|the \w+)|add (a )?(docstring|jsdoc|javadoc)s?)\b/i },
  { intent: 'documentation', re: /注释|文档字符串|写.{0,4}(文档|说明|提交信息)/ },
  { intent: 'comparison', re: /\b(compare|difference between|differences between|differ from|pros and cons|versus|vs\.?)\b/i },
  { intent: 'comparison', re: /比较|对比|区别|差异|优缺点/ },
  { intent: 'explanation', re: /\b(explain\w*|what does ((this|that|it|the)( [\w-]+){0,2}|\w+\(\)) (do|mean)|how does (this|that|it|the)( [\w-]+){0,2} work|walk me through|describe|what happens (when|if)|why (does|is|do|did|would|are)|what is the (purpose|point|idea|intent)|help me understand|meaning of|clarify|elaborate)\b/i },
  { intent: 'explanation', re: /解释|说明一下|讲解|讲讲|是什么意思|什么意思|怎么工作|如何工作|原理|作用是|为什么|含义|干什么的|做什么的/ },
  // --- simple ---
  { intent: 'conversion', re: /\b(convert|translate|transliterate|turn (this|it) into|transform (this|it) (to|into)|(as|to|into) (json|yaml|toml|csv|xml|markdown|a (markdown )?table|sql|snake_?case|camel_?case|kebab-case|an? enum|typescript types?|a dict)|(to|in) (english|chinese|french|german|japanese|spanish)|(upper|lower)-?case|base64|url-?encode|escape (the|this)|sort (these|the|this)|rename (\w+ ){0,3}to)\b/i },
  { intent: 'conversion', re: /转换|转成|转为|转化为|翻译|改成\s*(json|yaml|csv|xml)|译成|排序|格式化成/i },
  { intent: 'extraction', re: /\b(extract|pull out|list (all|every|the)|(give|show) me (the |a )?(list|names) of|find (all|every)|get (all|every) (the )?|collect (all|the)|grab|which (functions|methods|variables|imports|urls|emails|dates|names|files|dependencies|parameters|fields))\b/i },
  { intent: 'extraction', re: /提取|抽取|列出|找出所有|摘出|取出/ },
  { intent: 'classification', re: /\b(classify|categori[sz]e|label (this|it|each)|tag (this|it|each)|sentiment|is (this|it) (spam|positive|negative))\b/i },
  { intent: 'classification', re: /分类|情感|归类|打标签/ },
  {
    intent: 'lookup',
    re: /\b(what (language|programming language|type|version|port|encoding|framework|library|licen[cs]e|file|format|year|date|timeout|default)|which (language|library|version|line|file|function|class|module|port|framework|package)|how many|what('s| is) the (name|type|return type|value|default|signature|port|version|url|encoding|unit|license|regex|time zone|key)|where is|where does|is (this|that|it|the)( [\w-]+){0,2} (a |an )?(async|exported|public|private|static|const|deprecated|written in|python|javascript|typescript|recursive)|does (this|that|it|the)( [\w-]+){0,2} (use|import|return|export|call|have|accept|depend on)|what (\w+ )?does (this|that|it|the)( [\w-]+){0,2} return|count (the )?|who (wrote|is the author)|what does \w+ stand for|name of)\b/i,
  },
  { intent: 'lookup', re: /什么语言|哪种语言|哪个语言|多少|几个|几行|哪个|哪一|返回类型|是什么类型|什么类型|版本号|默认值|端口|叫什么|名字是|有没有用到|是否使用|是否导出/ },
];

/** Intents of the earlier clause a strong cue may replace. */
const WEAK_HEADS = new Set<Intent>(['explanation', 'summary', 'lookup', 'comparison']);

export const LONG_ANSWER = /\b(in (great |full )?detail|detailed|thorough(ly)?|comprehensive|step[- ]by[- ]step|line by line|exhaustive|every (case|line|function))\b|详细|逐行|一步一步|全面|完整/i;
export const SHORT_ANSWER = /\b(one word|one line|single word|in one sentence|briefly|brief|short answer|just (the|tell|give|say|name)|only (the|tell|give|say|name)|yes or no|tl;?dr)\b|一句话|简短|简单说|只要|只需|只给|是或否|一个词/i;

/** Splits a request into clauses: sentence ends, line breaks, numbered items, "and then", "然后". */
const CLAUSE_SPLIT =
  /(?:[.?!;。？！；\n]+\s*|\s*,?\s*\b(?:and then|then|after that|afterwards|finally|also|next|plus)\b\s*|,\s*and\s+(?=[a-z]+\b)|\s+and\s+(?=(?:explain|summari[sz]e|convert|extract|list|rewrite|refactor|implement|write|add|fix|prove|design|review|translate|document|compare|optimi[sz]e|debug|then|also|describe|show|suggest|test)\b)|然后|接着|之后|再|最后|并且|并|同时|以及|另外|，)/i;
export const NUMBERED = /^\s*(?:\d+[.)、]|[-*•]\s|[（(]?\d+[）)])/gm;

/** Global copies of the patterns, for one pass each over the whole request. */
const GLOBAL_PATTERNS = PATTERNS.map((p) => ({ ...p, re: new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`) }));
const CLAUSE_SPLIT_G = new RegExp(CLAUSE_SPLIT.source, `${CLAUSE_SPLIT.flags}g`);

/**
 * The intent of each clause: its first cue, unless a strong cue later in the clause outranks a weak head.
 * Each pattern runs once over the whole request; matches are assigned to clauses by position.
 */
export function clauseIntents(request: string): Intent[] {
  // Clause boundaries: [start, end) of each clause.
  const bounds: [number, number][] = [];
  let at = 0;
  for (const m of request.matchAll(CLAUSE_SPLIT_G)) {
    if (m[0].length === 0) continue;
    if (m.index > at) bounds.push([at, m.index]);
    at = m.index + m[0].length;
  }
  if (at < request.length) bounds.push([at, request.length]);
  const clauses = bounds.filter(([a, b]) => request.slice(a, b).trim().length > 1);
  if (!clauses.length) return [];
  const clauseOf = (i: number) => {
    let lo = 0;
    let hi = clauses.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = clauses[mid]!;
      if (i < a) hi = mid - 1;
      else if (i >= b) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  const head: ({ intent: Intent; at: number } | undefined)[] = clauses.map(() => undefined);
  const strong: ({ intent: Intent; at: number } | undefined)[] = clauses.map(() => undefined);
  for (const p of GLOBAL_PATTERNS) {
    p.re.lastIndex = 0;
    for (const m of request.matchAll(p.re)) {
      // A match may start on a boundary's whitespace: count it where its first word is.
      const pos = m.index + (m[0].length - m[0].trimStart().length);
      const c = clauseOf(pos);
      if (c < 0) continue;
      const h = head[c];
      if (!h || pos < h.at) head[c] = { intent: p.intent, at: pos };
      const st = strong[c];
      if (p.strong && (!st || pos < st.at)) strong[c] = { intent: p.intent, at: pos };
    }
  }
  const out: Intent[] = [];
  for (let c = 0; c < clauses.length; c++) {
    const h = head[c];
    if (!h) continue;
    const st = strong[c];
    out.push(st && st.intent !== h.intent && WEAK_HEADS.has(h.intent) ? st.intent : h.intent);
  }
  return out;
}
