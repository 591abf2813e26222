/** The routing part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const ROUTING_MESSAGES = {
} as const;
