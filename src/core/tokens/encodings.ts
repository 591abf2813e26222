/** The vocabularies the token worker holds: OpenAI's two tiktoken encodings and Qwen2.5/Qwen3's. */
export type EncodingName = 'o200k_base' | 'cl100k_base' | 'qwen';

/**
 * Which tiktoken encoding an OpenAI model uses. o200k_base for gpt-4o and every later family (4o, 4.1, 4.5,
 * o1/o3/o4, gpt-5, chatgpt-4o, gpt-oss); cl100k_base for gpt-4 / gpt-4-turbo / gpt-3.5 and the text-embedding-3
 * models. Unknown models default to o200k_base (the current family).
 */
export function encodingForModel(model: string): Exclude<EncodingName, 'qwen'> {
  const m = model.toLowerCase().replace(/^openai\//, '').replace(/^ft:/, '');
  if (/^(gpt-3\.5|gpt-35|gpt-4(-|$)(?!o)|gpt-4-turbo|gpt-4-32k|text-embedding-(3|ada))/.test(m)) {
    // gpt-4o / gpt-4.1 / gpt-4.5 do not match `gpt-4(-|$)`.
    if (/^gpt-4-?o/.test(m)) return 'o200k_base';
    return 'cl100k_base';
  }
  return 'o200k_base';
}

/** Which vocabulary a Qwen model name uses, from its family. */
export type QwenVocabulary =
  /** Qwen2, Qwen2.5 and Qwen3 text models (and the commercial qwen-turbo/plus/max/flash/long, QwQ, QVQ): 151,643 tokens */
  | 'qwen'
  /** Qwen3.5 and later families (qwen3.5, qwen3.6, qwen3.7, qwen3.8, qwen4 …): a new, larger vocabulary (248,044 tokens) with no local implementation */
  | 'newer'
  /** not a Qwen model */
  | undefined;

/**
 * Classifies a model name as DashScope or a local server spells it: `qwen-plus`, `qwen-plus-2025-09-11`,
 * `qwen3-coder-plus`, `qwen2.5-72b-instruct`, `Qwen/Qwen3-8B`, `qwen3:8b`, `ollama/qwen2.5-coder`, `qwq-32b`,
 * `qwen3.5-plus`, `qwen3.6-flash`, `qwen3.7-plus`, `qwen3.8-max`, `qwen4-max` … Any version above 3 is 'newer'.
 */
export function qwenVocabularyOf(model: string): QwenVocabulary {
  const m = model.toLowerCase().trim().replace(/^.*\//, '');
  if (/^(qwq|qvq)\b/.test(m)) return 'qwen';
  const v = /^qwen(\d+(?:\.\d+)?)?(?=[-_:.\s]|$)/.exec(m);
  if (!v) return undefined;
  if (v[1] === undefined) return 'qwen'; // qwen-turbo, qwen-plus, qwen-max, qwen-flash, qwen-long, qwen-coder-…, qwen-vl-…
  const version = Number(v[1]);
  // Qwen (1) and Qwen1.5 already had this vocabulary and pre-tokenizer.
  return version <= 3 ? 'qwen' : 'newer';
}
