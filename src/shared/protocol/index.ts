/**
 * The message protocol between the extension host and Tierwise's webviews, one module per panel:
 * `answer.ts` (answer panel), `report.ts` (cost report), `common.ts` (the handshake both share).
 */
export { MAX_ID_LENGTH, MAX_TEXT_LENGTH, type ReadyMsg, type ReplyMsg } from './common';
export * from './answer';
export * from './report';
