/** The prompts part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const PROMPTS_MESSAGES = {
} as const;
