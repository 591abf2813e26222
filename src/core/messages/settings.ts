/** The settings part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const SETTINGS_MESSAGES = {
} as const;
