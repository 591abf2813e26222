/**
 * The webviews' own words: every string the answer panel and the cost report show, id → English template with
 * `{0}`, `{1}`… placeholders. The host translates each template with `vscode.l10n.t` (the English template is the
 * key, as for every other string; `npm run l10n` puts them into the bundle) and hands the page its strings and
 * display language in the root element's `data-locale` attribute (a `PageLocale` as JSON, see
 * `src/host/panels/html.ts`); the webviews read them with `s(id, …args)` from `src/webview/strings.ts`.
 *
 * Pure TypeScript, shared by host and browser bundles: nothing here may import 'vscode'.
 */
import { hasOnlyKeys, isRecord } from './common';

export const WEBVIEW_STRINGS = {
  // Shared by both panels
  'common.failed': 'Failed: {0}',
  'common.unknownError': 'unknown error',
  'tier.simple': 'simple',
  'tier.medium': 'medium',
  'tier.complex': 'complex',

  // Answer panel
  'answer.empty': 'Answers from Tierwise appear here.',
  'answer.route.why': 'why:',
  'answer.route.task': 'task:',
  'answer.started': 'Answer started: {0}',
  'answer.ended': '{0}: {1}',
  'answer.endedWithMessage': '{0}: {1}. {2}',
  'answer.copied': 'Copied',
  'answer.applied': 'Done',
  'answer.linkCopied': 'Link copied',
  'answer.failed': 'Failed',
  'answer.outcome.done': 'Done',
  'answer.outcome.cancelled': 'Cancelled',
  'answer.outcome.interrupted': 'Interrupted — partial answer kept',
  'answer.outcome.error': 'Error',
  'answer.streaming': 'Streaming…',
  'answer.actions': 'Answer actions',
  'answer.stop': 'Stop',
  'answer.stop.tip': 'Cancel the request',
  'answer.retry': 'Retry',
  'answer.retry.tip': 'Ask again with the same model',
  'answer.escalate': 'Escalate',
  'answer.escalate.tip': 'Ask again one tier up',
  'answer.copyAll': 'Copy answer',
  'answer.copyAll.tip': 'Copy the whole answer as markdown',
  'answer.meta.firstToken': 'First token',
  'answer.meta.speed': 'Speed',
  'answer.meta.tokensPerSecond': '{0} tok/s',
  'answer.meta.input': 'Input',
  'answer.meta.output': 'Output',
  'answer.meta.estimated': '{0} (est.)',
  'answer.meta.cacheRead': 'Cache read',
  'answer.meta.cacheWrite': 'Cache write',
  'answer.meta.tokens': '{0} tokens',
  'answer.meta.tokensCost': '{0} tokens, {1}',
  'answer.meta.cost': 'Cost',
  'answer.meta.retries': 'Retries',
  'code.copy': 'Copy',
  'code.insert': 'Insert',
  'code.replace': 'Replace selection',
  'markdown.image': '[image: {0}]',

  // Cost report
  'report.title': 'Tierwise: Cost Report',
  'report.workspace': 'Workspace',
  'report.exportCsv': 'Export CSV…',
  'report.refresh': 'Refresh',
  'report.loading': 'Loading…',
  'report.allWorkspaces': 'All workspaces',
  'report.thisWindow': '{0} (this window)',
  'report.period': '{0} – {1}',
  'report.scope.workspace': 'workspace {0}',
  'report.scope.all': 'all workspaces',
  'report.amountsIn': 'amounts in {0}',
  'report.updated': 'updated {0}',
  'currency.USD': 'USD',
  'currency.CNY': 'CNY',
  'report.spent': 'Spent',
  'report.spent.sub': '{0} · {1} in / {2} out tokens',
  'report.requests.one': '{0} request',
  'report.requests.other': '{0} requests',
  'report.percent': '{0} ({1}%)',
  'report.tiering.saved': 'Saved by tiering',
  'report.tiering.savedSentence': '{0} saved by tiering',
  'report.tiering.costMore': 'Tiering cost more',
  'report.tiering.more': '{0} more than the top tier',
  'report.tiering.moreSentence': 'tiering cost {0} more than the top tier',
  'report.tiering.sub': "the same requests on each provider's top tier: {0}",
  'report.caching.saved': 'Saved by caching',
  'report.caching.savedSentence': '{0} saved by caching',
  'report.caching.costMore': 'Caching cost more',
  'report.caching.more': '{0} more than sending without the cache',
  'report.caching.moreSentence': 'caching cost {0} more than sending without the cache',
  'report.caching.sub': '{0} input tokens read from cache',
  'report.batch.saved': 'Saved by batch',
  'report.batch.sub': '{0} tokens sent as batch',
  'report.local.saved': 'Saved by local models',
  'report.local.sub': '{0} answered locally for free, priced at the cloud model of their tier',
  'report.routing.saved': 'Saved by routing',
  'report.routing.vsDefault': 'Routing vs default tier',
  'report.routing.more': '{0} more',
  'report.routing.sub.one': '{0} auto-routed request cost {1}; on their default tier {2}, on the top tier {3}',
  'report.routing.sub.other': '{0} auto-routed requests cost {1}; on their default tier {2}, on the top tier {3}',
  'report.routing.escalations.one': '{0} escalation',
  'report.routing.escalations.other': '{0} escalations',
  'report.routing.learned': '{0} routed by your past choices',
  'report.routing.judge': 'judge: {0} calls, {1}',
  'report.routing.unpriced': '{0} without a price left out',
  'report.byDay': 'Spend by day',
  'report.byProvider': 'Spend by provider',
  'report.byModel': 'Spend by model',
  'report.byTier': 'Spend by tier',
  'report.byTask': 'Spend by task',
  'report.bySource': 'Spend by source',
  'report.byWorkspace': 'Spend by workspace',
  'report.showData': 'Show data',
  'report.notice': 'Cost report updated: {0} spent, {1}.',
  'report.noticeIn': 'Cost report updated: {0} spent in {1}, {2}.',
  'chart.cost': 'Cost',
  'chart.requests': 'Requests',
  'chart.inputTokens': 'Input tokens',
  'chart.outputTokens': 'Output tokens',
  'chart.title': '{0}: {1}',
  'chart.point': '{0} {1}',
  'chart.tip': '{0}: {1}, {2}',
  'chart.days': '{0}: {1} days, highest {2}',
  'chart.noData': 'no data',
  'chart.empty': 'No requests in this period.',
} as const;

export type WebviewStringId = keyof typeof WEBVIEW_STRINGS;

/** What a page is told about its language: VS Code's display language and the webview strings translated to it. */
export interface PageLocale {
  /** A BCP 47 tag, e.g. "en", "zh-cn" (`vscode.env.language`). */
  language: string;
  /** Translated templates by id; a missing id shows its English template. */
  strings: Partial<Record<WebviewStringId, string>>;
}

/** The page locale when the page says nothing usable: English. */
export const ENGLISH_LOCALE: PageLocale = Object.freeze({ language: 'en', strings: Object.freeze({}) });

/** The longest translated template a page takes (the English ones are far shorter). */
const MAX_STRING_LENGTH = 2000;

function isLanguageTag(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 35) return false;
  try {
    return Intl.getCanonicalLocales(v).length === 1;
  } catch {
    return false;
  }
}

/**
 * A page's `data-locale` attribute as a `PageLocale`. Never throws: anything missing, malformed or of the wrong type
 * falls back to English (the whole locale when the JSON or the language is bad, one string when only it is bad).
 */
export function parsePageLocale(raw: string | null | undefined): PageLocale {
  if (typeof raw !== 'string' || raw === '') return ENGLISH_LOCALE;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return ENGLISH_LOCALE;
  }
  if (!isRecord(v) || !hasOnlyKeys(v, ['language'], ['strings']) || !isLanguageTag(v.language)) return ENGLISH_LOCALE;
  const strings: Partial<Record<WebviewStringId, string>> = {};
  if (isRecord(v.strings)) {
    for (const [id, text] of Object.entries(v.strings)) {
      if (Object.hasOwn(WEBVIEW_STRINGS, id) && typeof text === 'string' && text.length > 0 && text.length <= MAX_STRING_LENGTH) {
        strings[id as WebviewStringId] = text;
      }
    }
  }
  return { language: v.language, strings };
}

/** A template with `{0}`, `{1}`… replaced by the arguments (a placeholder without an argument stays as it is). */
export { fill as formatTemplate } from '../../core/messages/fill';
