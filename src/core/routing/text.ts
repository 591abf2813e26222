/** Small text helpers shared by the routing modules. Pure, no dependencies. */

/**
 * A rough token count: about 4 characters per token for Latin text, 1 token per CJK character.
 * Good enough for sizing prompts and budgets; the host counts real selections with a tokenizer.
 */
export function roughTokens(text: string): number {
  if (!text) return 0;
  let cjk = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 0x3000 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) cjk++;
  }
  const rest = text.length - cjk;
  return cjk + Math.ceil(rest / 4);
}

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
