export type EncodingName = 'o200k_base' | 'cl100k_base';
export const ENCODINGS: readonly EncodingName[] = ['o200k_base', 'cl100k_base'];

/**
 * Which tiktoken encoding an OpenAI model uses. o200k_base for gpt-4o and every later family (4o, 4.1, 4.5,
 * o1/o3/o4, gpt-5, chatgpt-4o, gpt-oss); cl100k_base for gpt-4 / gpt-4-turbo / gpt-3.5 and the text-embedding-3
 * models. Unknown models default to o200k_base (the current family).
 */
export function encodingForModel(model: string): EncodingName {
  const m = model.toLowerCase().replace(/^openai\//, '').replace(/^ft:/, '');
  if (/^(gpt-3\.5|gpt-35|gpt-4(-|$)(?!o)|gpt-4-turbo|gpt-4-32k|text-embedding-(3|ada))/.test(m)) {
    // gpt-4o / gpt-4.1 / gpt-4.5 do not match `gpt-4(-|$)`.
    if (/^gpt-4-?o/.test(m)) return 'o200k_base';
    return 'cl100k_base';
  }
  return 'o200k_base';
}
