/** Small text helpers shared by the routing modules. Pure. */

/**
 * The rough token count routing sizes prompts with when the host gives no counter: the one offline estimate
 * (src/core/tokens/estimate.ts). The host counts real selections with a tokenizer.
 */
export { estimateTokens as roughTokens } from '../tokens/estimate';

/** 140000 -> "140,000" (fixed locale so reason strings are stable). */
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(Math.round(n)); // one formatter: toLocaleString builds a new one per call
}

/** Wrap text in a Markdown fence longer than any backtick run inside it, so content cannot close it early. */
export function fence(text: string, lang = ''): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${text}${text.endsWith('\n') ? '' : '\n'}${ticks}`;
}
