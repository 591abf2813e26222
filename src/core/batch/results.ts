import type { BatchItemResult } from './types';
import { english, type Message } from '../messages';

/** Loose readers of the providers' JSON: a wrong or missing field reads as empty, never throws. */
type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

type Answered = Extract<BatchItemResult, { ok: true }>;
type Failed = Extract<BatchItemResult, { ok: false }>;

/** A request of the batch that was answered; `requestId` is kept when the provider gave one. */
export function answered(customId: string, answer: Omit<Answered, 'customId' | 'ok' | 'requestId'>, requestId: string | undefined): BatchItemResult {
  return { customId, ok: true, ...answer, ...(requestId ? { requestId } : {}) };
}

/** A failure's text: the provider's own (a string), or Tierwise's sentence as `message` (English) and `text`. */
export function ownText(t: string | Message): { message: string; text?: Message } {
  return typeof t === 'string' ? { message: t } : { message: english(t), text: t };
}

/** A request of the batch that failed or never ran; `code` is kept when the provider gave one. */
export function failed(customId: string, code: string | undefined, failure: Omit<Failed, 'customId' | 'ok' | 'code'>): BatchItemResult {
  return { customId, ok: false, ...(code ? { code } : {}), ...failure };
}
