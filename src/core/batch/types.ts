/**
 * Batch jobs (OpenAI Batch API, Anthropic Message Batches, DashScope's OpenAI-compatible Batch API): half price,
 * answers within 24 hours.
 * Shared shapes of the batch core. Pure TypeScript.
 */
import type { ChatRequest, FinishReason, Usage } from '../types';
import type { Message } from '../messages';

export type BatchProviderId = 'openai' | 'anthropic' | 'dashscope';

export interface BatchItem {
  /** Unique within the batch; letters, digits, '_' and '-', at most 64 characters (Anthropic's rule, used for both). */
  customId: string;
  request: ChatRequest;
}

/** The provider's status, normalised. */
export type BatchStatus =
  | 'validating' // OpenAI: checking the input file
  | 'inProgress'
  | 'finalizing' // OpenAI: preparing the result files
  | 'cancelling'
  | 'completed' // results ready (some items may still have failed)
  | 'failed' // OpenAI: the input file was rejected as a whole
  | 'expired' // not finished within 24 h; finished items still have results
  | 'cancelled';

export const TERMINAL_BATCH_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'expired', 'cancelled'];

export interface BatchCounts {
  total: number;
  succeeded: number;
  failed: number;
  /** Still running (OpenAI counts live; Anthropic only moves counts out of processing at the end). */
  processing: number;
  cancelled: number;
  expired: number;
}

export interface BatchInfo {
  provider: BatchProviderId;
  id: string;
  status: BatchStatus;
  /** The provider's own status word. */
  rawStatus: string;
  /** true once the status is terminal: results (if any) can be fetched. */
  done: boolean;
  counts: BatchCounts;
  /** ms since the epoch. */
  createdAt?: number;
  expiresAt?: number;
  endedAt?: number;
  /** OpenAI / DashScope result files. */
  outputFileId?: string;
  errorFileId?: string;
  /** Anthropic results location (absolute, or a path on the base URL). */
  resultsUrl?: string;
  /** OpenAI validation errors of a failed batch, one line each. */
  errors: string[];
}

export type BatchItemResult =
  | {
      customId: string;
      ok: true;
      text: string;
      finishReason: FinishReason;
      usage: Usage;
      model: string;
      requestId?: string;
    }
  | {
      customId: string;
      ok: false;
      /** errored: the request failed; expired / cancelled: it never ran. */
      outcome: 'errored' | 'expired' | 'cancelled';
      code?: string;
      /** The provider's message, else Tierwise's own sentence (then also as `text`, for the UI). */
      message: string;
      text?: Message;
      status?: number;
      /** Worth submitting again unchanged (server trouble, expiry, cancellation); false for invalid requests. */
      retryable: boolean;
    };

export interface BatchResults {
  results: BatchItemResult[];
  /** Lines of the result files that could not be read, e.g. "line 3: Unexpected token". */
  unreadable: string[];
}
