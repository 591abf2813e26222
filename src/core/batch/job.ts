/**
 * A batch job as the editor runs it: the items cut from a selection, and the answer assembled from the results,
 * one section per item in the order submitted. Pure TypeScript.
 */
import type { Usage } from '../types';
import { ZERO_USAGE } from '../types';
import type { BatchItemResult, BatchProviderId } from './types';
import { english, msg, type Message } from '../messages';

/** The providers whose batch API the core speaks. */
export const BATCH_PROVIDER_IDS: readonly BatchProviderId[] = ['openai', 'anthropic', 'dashscope'];

export function isBatchProvider(id: string): id is BatchProviderId {
  return (BATCH_PROVIDER_IDS as readonly string[]).includes(id);
}

/** How one selection becomes items: one per non-empty line, or the whole selection as one. */
export type BatchSplit = 'lines' | 'whole';

/** The non-empty lines of a text (blank and whitespace-only lines dropped; line ends and trailing spaces trimmed). */
export function nonEmptyLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

/**
 * The items of a batch. Several selections: each non-empty selection is one item, whatever `split` says.
 * One selection: its non-empty lines (`lines`) or the whole of it (`whole`). Empty selections are dropped.
 */
export function batchItemTexts(selections: readonly string[], split: BatchSplit): string[] {
  const texts = selections.filter((t) => t.trim() !== '');
  if (texts.length !== 1) return texts;
  return split === 'lines' ? nonEmptyLines(texts[0]!) : texts;
}

/** Custom ids for `n` items: item-1 … item-n (valid for both APIs). */
export function batchCustomIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `item-${i + 1}`);
}

/** One line for a menu or a heading: whitespace collapsed, cut at `max` characters with an ellipsis. */
export function abbreviate(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  return `${one.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** What a job remembers of an item: its id and a short label (never the whole text). */
export interface BatchJobItem {
  customId: string;
  label: string;
}

export interface BatchItemOutcome {
  item: BatchJobItem;
  /** Undefined when the results had no line for this item. */
  result?: BatchItemResult;
}

export interface BatchAnswer {
  /** Markdown: a heading per item (its label), then the answer or the failure. */
  markdown: string;
  outcomes: BatchItemOutcome[];
  succeeded: number;
  /** Items that failed, expired, were cancelled or got no result. */
  failed: number;
  /** Usage summed over the items that succeeded. */
  usage: Usage;
  /** Items whose answer stopped at max_tokens. */
  truncated: number;
}

const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;
function escapeMarkdown(s: string): string {
  return s.replace(MD_SPECIAL, (c) => `\\${c}`);
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

/** Why an item has no answer, for the reader (undefined for an answered item). */
export function failureMessage(r: BatchItemResult | undefined): Message | undefined {
  if (!r) return msg('errors.batch.item.noResult');
  if (r.ok) return undefined;
  const code = r.code ? (r.status ? msg('errors.batch.item.codeStatus', r.code, r.status) : msg('errors.batch.item.code', r.code)) : r.status ? msg('errors.batch.item.status', r.status) : '';
  if (r.outcome === 'errored') return msg('errors.batch.item.failed', code, r.text ?? msg('common.asIs', r.message));
  return r.outcome === 'expired' ? msg('errors.batch.item.expired', code) : msg('errors.batch.item.cancelled', code);
}

/** Why an item has no answer, in English ('' for an answered item). */
export function failureText(r: BatchItemResult | undefined): string {
  const m = failureMessage(r);
  return m ? english(m) : '';
}

/**
 * The answer of a finished job: one section per item in the order of `items`, each headed by its number and
 * label, with the answer text or the failure. Results for ids not in `items` are ignored.
 */
export function assembleBatchAnswer(items: readonly BatchJobItem[], results: readonly BatchItemResult[], format: (m: Message) => string = english): BatchAnswer {
  const byId = new Map(results.map((r) => [r.customId, r]));
  const outcomes: BatchItemOutcome[] = items.map((item) => ({ item, result: byId.get(item.customId) }));
  let usage: Usage = { ...ZERO_USAGE };
  let succeeded = 0;
  let truncated = 0;
  const sections: string[] = [];
  outcomes.forEach(({ item, result }, i) => {
    const head = `### ${i + 1}. ${escapeMarkdown(item.label) || format(msg('errors.batch.answer.blank'))}`;
    if (result?.ok) {
      succeeded++;
      usage = addUsage(usage, result.usage);
      let body = result.text.trim() || format(msg('errors.batch.answer.empty'));
      if (result.finishReason === 'length') {
        truncated++;
        body += `\n\n> ${format(msg('errors.batch.answer.cut'))}`;
      }
      sections.push(`${head}\n\n${body}`);
    } else {
      sections.push(`${head}\n\n> ${format(msg('errors.batch.answer.none', failureMessage(result)!))}`);
    }
  });
  return { markdown: `${sections.join('\n\n')}\n`, outcomes, succeeded, failed: items.length - succeeded, usage, truncated };
}

/** "2 of 3 done" style progress from counts, with the provider's status word. */
export function batchProgressText(status: string, counts: { total: number; succeeded: number; failed: number; cancelled?: number; expired?: number }): Message {
  const done = counts.succeeded + counts.failed + (counts.cancelled ?? 0) + (counts.expired ?? 0);
  const word = status.replace(/_/g, ' ');
  return counts.failed ? msg('errors.batch.progressFailed', word, done, counts.total, counts.failed) : msg('errors.batch.progress', word, done, counts.total);
}
