/** The setup part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const SETUP_MESSAGES = {
} as const;
