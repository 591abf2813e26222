/** The errors part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const ERRORS_MESSAGES = {
} as const;
