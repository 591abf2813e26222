/**
 * The local complexity router for free-form requests (Ask About Selection, and tasks whose tier is `auto`).
 *
 * It reads what the request asks (its intents, clause by clause, in English and Chinese), how many steps it asks
 * for, what the selection is (code or prose, its language and size) and how long an answer it expects, and gives a
 * tier, a max_tokens sized for that answer, a confidence, and the signals behind the decision in words.
 * Pure and synchronous: no network, no model call, no vscode. The features it returns hold numbers only, never the
 * text, so they can be stored to learn from the user.
 */
import type { Tier } from '../types';
import { TIERS } from '../types';
import { formatCount, roughTokens } from './text';

export type Intent =
  | 'lookup'
  | 'extraction'
  | 'conversion'
  | 'classification'
  | 'explanation'
  | 'summary'
  | 'rewriting'
  | 'documentation'
  | 'comparison'
  | 'review'
  | 'design'
  | 'proof'
  | 'refactoring'
  | 'implementation'
  | 'debugging'
  | 'optimisation';

export const INTENTS: readonly Intent[] = [
  'lookup',
  'extraction',
  'conversion',
  'classification',
  'explanation',
  'summary',
  'rewriting',
  'documentation',
  'comparison',
  'review',
  'design',
  'proof',
  'refactoring',
  'implementation',
  'debugging',
  'optimisation',
];

/** The tier an intent needs on its own, before size and steps. */
export const INTENT_TIER: Readonly<Record<Intent, Tier>> = {
  lookup: 'simple',
  extraction: 'simple',
  conversion: 'simple',
  classification: 'simple',
  explanation: 'medium',
  summary: 'medium',
  rewriting: 'medium',
  documentation: 'medium',
  comparison: 'medium',
  review: 'complex',
  design: 'complex',
  proof: 'complex',
  refactoring: 'complex',
  implementation: 'complex',
  debugging: 'complex',
  optimisation: 'complex',
};

/** Words for the reason line: "asks for a proof", "asks for an implementation". */
const INTENT_NOUN: Readonly<Record<Intent, string>> = {
  lookup: 'a lookup',
  extraction: 'an extraction',
  conversion: 'a conversion',
  classification: 'a classification',
  explanation: 'an explanation',
  summary: 'a summary',
  rewriting: 'a rewrite',
  documentation: 'documentation',
  comparison: 'a comparison',
  review: 'a review',
  design: 'a design',
  proof: 'a proof',
  refactoring: 'a refactoring',
  implementation: 'an implementation',
  debugging: 'debugging',
  optimisation: 'an optimisation',
};

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

const LONG_ANSWER = /\b(in (great |full )?detail|detailed|thorough(ly)?|comprehensive|step[- ]by[- ]step|line by line|exhaustive|every (case|line|function))\b|详细|逐行|一步一步|全面|完整/i;
const SHORT_ANSWER = /\b(one word|one line|single word|in one sentence|briefly|brief|short answer|just (the|tell|give|say|name)|only (the|tell|give|say|name)|yes or no|tl;?dr)\b|一句话|简短|简单说|只要|只需|只给|是或否|一个词/i;

/** Splits a request into clauses: sentence ends, line breaks, numbered items, "and then", "然后". */
const CLAUSE_SPLIT =
  /(?:[.?!;。？！；\n]+\s*|\s*,?\s*\b(?:and then|then|after that|afterwards|finally|also|next|plus)\b\s*|,\s*and\s+(?=[a-z]+\b)|\s+and\s+(?=(?:explain|summari[sz]e|convert|extract|list|rewrite|refactor|implement|write|add|fix|prove|design|review|translate|document|compare|optimi[sz]e|debug|then|also|describe|show|suggest|test)\b)|然后|接着|之后|再|最后|并且|并|同时|以及|另外|，)/i;
const NUMBERED = /^\s*(?:\d+[.)、]|[-*•]\s|[（(]?\d+[）)])/gm;

/** The languages a selection may be in, by VS Code language id. Everything else not prose counts as code. */
const PROSE_LANGUAGES = new Set(['plaintext', 'markdown', 'text', 'latex', 'restructuredtext', 'asciidoc', '']);
const DATA_LANGUAGES = new Set(['json', 'jsonc', 'yaml', 'toml', 'xml', 'csv', 'ini', 'properties', 'env']);

export type SelectionKind = 'code' | 'data' | 'prose';

export interface ComplexityInput {
  /** The user's request (the question), or for an `auto` task its label and question. */
  request: string;
  selectionText: string;
  /** Tokens of the selection as counted by the host; counted roughly when not given. */
  selectionTokens?: number;
  languageId?: string;
}

/**
 * What the router saw, as numbers only (safe to store). `vector()` turns it into the vector used for learning.
 */
export interface ComplexityFeatures {
  /** Index into INTENTS of the main (hardest) intent, or -1 when none was recognised. */
  intent: number;
  /** Number of recognised intents per tier, [simple, medium, complex]. */
  tierHits: [number, number, number];
  steps: number;
  selectionTokens: number;
  requestTokens: number;
  kind: 0 | 1 | 2;
  /** 1 when the request is mostly Chinese. */
  cjk: 0 | 1;
  /** -1 asks for a short answer, 1 for a long one, 0 neither. */
  length: -1 | 0 | 1;
  expectedTokens: number;
}

export interface Assessment {
  tier: Tier;
  /** 0..1: how sure the rules are. Below JUDGE_CONFIDENCE the judge (if enabled) is asked. */
  confidence: number;
  /** Output budget for the expected answer. */
  maxTokens: number;
  /** The answer length the router expects, in tokens. */
  expectedTokens: number;
  intents: Intent[];
  steps: number;
  kind: SelectionKind;
  features: ComplexityFeatures;
  /** The signals in words, for the reason line: "asks for a proof and an implementation (2 steps)". */
  signals: string[];
  /** A continuous difficulty score (higher = harder), for ranking in benchmarks. */
  score: number;
}

/** Below this confidence the judge, if enabled, decides. */
export const JUDGE_CONFIDENCE = 0.6;

const KIND_INDEX: Record<SelectionKind, 0 | 1 | 2> = { prose: 0, data: 1, code: 2 };

export function selectionKind(languageId: string | undefined, text: string): SelectionKind {
  const lang = (languageId ?? '').trim().toLowerCase();
  if (DATA_LANGUAGES.has(lang)) return 'data';
  if (lang && !PROSE_LANGUAGES.has(lang)) return 'code';
  if (lang && lang !== 'plaintext' && lang !== 'text') return 'prose';
  // Untitled or plain text: sniff a sample for code punctuation.
  const sample = text.slice(0, 2000);
  if (/^\s*[[{]/.test(sample) && /[}\]]\s*$/.test(sample.trimEnd())) return 'data';
  const codeMarks = (sample.match(/[{};=<>()]|=>|\b(function|def|class|return|import|const|let|var|public|fn)\b/g) ?? []).length;
  return codeMarks > Math.max(6, sample.length / 40) ? 'code' : 'prose';
}

function isMostlyCjk(s: string): boolean {
  let cjk = 0;
  let latin = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x4e00 && c <= 0x9fff) cjk++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
  }
  return cjk > 0 && cjk * 3 >= latin;
}

/** Global copies of the patterns, for one pass each over the whole request. */
const GLOBAL_PATTERNS = PATTERNS.map((p) => ({ ...p, re: new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`) }));
const CLAUSE_SPLIT_G = new RegExp(CLAUSE_SPLIT.source, `${CLAUSE_SPLIT.flags}g`);

/**
 * The intent of each clause: its first cue, unless a strong cue later in the clause outranks a weak head.
 * Each pattern runs once over the whole request; matches are assigned to clauses by position.
 */
function clauseIntents(request: string): Intent[] {
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

function tierIndex(t: Tier): number {
  return TIERS.indexOf(t);
}

function words(list: string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** The answer a request expects, in tokens, from its main intent, the selection size and any length cue. */
function expectedAnswer(intent: Intent | undefined, selectionTokens: number, steps: number, length: -1 | 0 | 1): number {
  const sel = Math.max(0, selectionTokens);
  let n: number;
  switch (intent) {
    case 'lookup':
    case 'classification':
      n = 60;
      break;
    case 'extraction':
      n = Math.min(1500, 80 + Math.ceil(sel * 0.25));
      break;
    case 'conversion':
    case 'rewriting':
      n = Math.min(16_000, 64 + Math.ceil(sel * 1.3));
      break;
    case 'summary':
      n = Math.min(800, 200 + Math.ceil(sel * 0.08));
      break;
    case 'documentation':
      n = Math.min(4000, 200 + Math.ceil(sel * 0.5));
      break;
    case 'explanation':
    case 'comparison':
      n = Math.min(1500, 350 + Math.ceil(sel * 0.3));
      break;
    case 'refactoring':
      n = Math.min(16_000, 400 + Math.ceil(sel * 1.4));
      break;
    case 'implementation':
      n = 1800;
      break;
    case 'review':
    case 'debugging':
    case 'optimisation':
      n = 1200;
      break;
    case 'design':
    case 'proof':
      n = 1500;
      break;
    default:
      n = 500;
  }
  if (steps > 1) n = Math.round(n * (1 + 0.4 * (steps - 1)));
  if (length < 0) n = Math.min(n, intent === 'conversion' || intent === 'rewriting' ? n : 150);
  if (length > 0) n = Math.round(n * 1.6);
  return Math.max(16, n);
}

/** Assesses a free-form request. Deterministic; a few tens of microseconds for an ordinary question. */
export function assessComplexity(input: ComplexityInput): Assessment {
  const request = input.request.slice(0, 4000);
  const selectionTokens = Math.max(0, input.selectionTokens ?? roughTokens(input.selectionText));
  const kind = selectionKind(input.languageId, input.selectionText);
  const cjk = isMostlyCjk(request);
  const length: -1 | 0 | 1 = SHORT_ANSWER.test(request) ? -1 : LONG_ANSWER.test(request) ? 1 : 0;

  const numbered = (request.match(NUMBERED) ?? []).length;
  const found = clauseIntents(request);
  const intentClauses = found.length;
  const steps = Math.max(intentClauses, numbered, found.length ? 1 : 0);
  const distinct = [...new Set(found)];
  const tierHits: [number, number, number] = [0, 0, 0];
  for (const i of found) tierHits[tierIndex(INTENT_TIER[i])]++;

  // The main intent: the hardest one asked for.
  const main = distinct.reduce<Intent | undefined>(
    (best, i) => (best === undefined || tierIndex(INTENT_TIER[i]) > tierIndex(INTENT_TIER[best]) ? i : best),
    undefined,
  );
  const requestTokens = roughTokens(request);
  const signals: string[] = [];
  let tier: Tier;
  let confidence: number;
  let score: number;

  if (main) {
    tier = INTENT_TIER[main];
    const asked = distinct
      .filter((i) => INTENT_TIER[i] === tier)
      .map((i) => INTENT_NOUN[i]);
    signals.push(`asks for ${words(asked)}${steps > 1 ? ` (${steps} steps)` : ''}`);
    const mixed = tierHits.filter((h) => h > 0).length > 1;
    confidence = mixed ? 0.7 : 0.9;
    score = tierIndex(tier) * 10 + steps;
  } else {
    tier = 'medium';
    confidence = 0.35;
    score = 10;
    signals.push('no clear task in the request');
  }

  // Several steps make a small job a bigger one.
  if (steps >= 3 && tier !== 'complex') {
    tier = 'complex';
    signals[0] = `${signals[0]!.replace(/ \(\d+ steps\)$/, '')} (${steps} steps: multi-step work)`;
    confidence = Math.min(confidence, 0.75);
    score += 10;
  } else if (steps === 2 && tier === 'simple' && tierHits[0] < 2) {
    tier = 'medium';
    confidence = Math.min(confidence, 0.65);
  }

  // The selection: a long stretch of code to explain or document is real work; a tiny lookup stays simple.
  const size = `${formatCount(selectionTokens)}-token ${kind === 'code' ? `${(input.languageId ?? 'code').trim() || 'code'} selection` : kind === 'data' ? 'data selection' : 'prose selection'}`;
  if (tier === 'medium' && kind === 'code' && selectionTokens > 3000 && (main === 'explanation' || main === 'documentation')) {
    tier = 'complex';
    signals.push(`a long selection (${size})`);
    confidence = Math.min(confidence, 0.6);
    score += 5;
  } else if (tier === 'simple' && selectionTokens > 6000 && main !== 'lookup' && main !== 'classification') {
    tier = 'medium';
    signals.push(`a long selection (${size})`);
    confidence = Math.min(confidence, 0.6);
    score += 5;
  } else if (!main && selectionTokens > 2000) {
    signals.push(`a ${size}`);
  }
  // An unclear request with detailed requirements: lean up.
  if (!main && requestTokens > 60) {
    tier = 'complex';
    signals.push(`a long request (${formatCount(requestTokens)} tokens)`);
    score += 8;
  }
  if (length !== 0) signals.push(length < 0 ? 'a short answer wanted' : 'a detailed answer wanted');
  score += Math.log2(1 + selectionTokens) / 4 + Math.log2(1 + requestTokens) / 4 + length;

  const expectedTokens = expectedAnswer(main, selectionTokens, steps, length);
  const maxTokens = Math.min(16_000, Math.max(32, Math.ceil((expectedTokens * 1.5) / 16) * 16));
  const features: ComplexityFeatures = {
    intent: main ? INTENTS.indexOf(main) : -1,
    tierHits,
    steps,
    selectionTokens,
    requestTokens,
    kind: KIND_INDEX[kind],
    cjk: cjk ? 1 : 0,
    length,
    expectedTokens,
  };
  return { tier, confidence, maxTokens, expectedTokens, intents: distinct, steps, kind, features, signals, score };
}

/** The feature vector used for nearest-neighbour learning (each coordinate roughly in 0..1). */
export function featureVector(f: ComplexityFeatures): number[] {
  const hits = f.tierHits[0] + f.tierHits[1] + f.tierHits[2] || 1;
  return [
    f.tierHits[0] / hits,
    f.tierHits[1] / hits,
    f.tierHits[2] / hits,
    Math.min(1, (f.steps - 1) / 4),
    Math.min(1, Math.log2(1 + f.selectionTokens) / 16),
    Math.min(1, Math.log2(1 + f.requestTokens) / 10),
    f.kind / 2,
    (f.length + 1) / 2,
  ];
}

/** Checks a stored feature object (from global state, which may be old or edited). */
export function isComplexityFeatures(v: unknown): v is ComplexityFeatures {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  return (
    num(f.intent) &&
    Array.isArray(f.tierHits) &&
    f.tierHits.length === 3 &&
    f.tierHits.every(num) &&
    num(f.steps) &&
    num(f.selectionTokens) &&
    num(f.requestTokens) &&
    num(f.kind) &&
    num(f.cjk) &&
    num(f.length) &&
    num(f.expectedTokens)
  );
}
