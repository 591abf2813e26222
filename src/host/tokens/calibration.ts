import * as vscode from 'vscode';
import type { Memento } from 'vscode';
import type { CallOutcome } from '../../core/resilience/pipeline';
import { Calibration, callSample, MIN_SAMPLES, type CalibrationSource, type Correction } from '../../core/tokens/calibration';
import type { TokenCounter } from '../../core/tokens/client';
import type { ChatRequest } from '../../core/types';
import type { Log } from '../util';

export const CALIBRATION_KEY = 'tierwise.qwenCalibration';

/**
 * The calibration of DashScope models Tierwise has no tokenizer for (core/tokens/calibration.ts), kept in the
 * extension's global state (this machine only; numbers, never text): loaded when the extension starts, given to
 * the token counter, and fed after each DashScope call that reports its usage.
 */
export class QwenCalibrationStore implements CalibrationSource, vscode.Disposable {
  private calibration: Calibration;
  private readonly changed = new vscode.EventEmitter<string>();
  /** A model's correction moved (the calibration key of the model). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: Memento,
    private readonly log: Log,
  ) {
    this.calibration = Calibration.fromJSON(state.get<unknown>(CALIBRATION_KEY));
  }

  correction(model: string): Correction {
    return this.calibration.correction(model);
  }

  /**
   * After a call: when it was a DashScope call to an estimated model with reported usage, the estimate of the
   * request that answered and the reported input tokens are added and stored. Never throws.
   */
  async observe(counter: TokenCounter, candidates: readonly ChatRequest[], outcome: CallOutcome): Promise<void> {
    try {
      const sample = await callSample(counter, candidates, outcome);
      if (!sample) return;
      // Another window may have stored samples since this one loaded: start from what is stored now.
      this.calibration = Calibration.fromJSON(this.state.get<unknown>(CALIBRATION_KEY));
      if (!this.calibration.add(sample.model, sample.estimate, sample.reported)) {
        this.log.debug(`calibration: ${sample.model} sample left out (estimate ${sample.estimate}, reported ${sample.reported})`);
        return;
      }
      const c = this.calibration.correction(sample.model);
      this.log.debug(`calibration: ${sample.model} estimate ${sample.estimate}, reported ${sample.reported}; factor ${c.factor.toFixed(3)} over ${c.samples} call(s)`);
      await this.state.update(CALIBRATION_KEY, this.calibration.toJSON());
      this.changed.fire(sample.model);
    } catch (e) {
      this.log.warn(`could not record the token calibration: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The measured error as a whole percentage, at least 1 ("±0%" would claim too much). */
function percent(error: number | undefined): number {
  return Math.max(1, Math.round((error ?? 0) * 100));
}

/**
 * What a calibrated estimate is worth, shown after its count ("±4% measured over 12 calls", or "not calibrated yet,
 * 1 of 3 calls measured"). undefined for counts without a calibration (exact counts, other estimates).
 */
export function calibrationNote(c: Correction | undefined): string | undefined {
  if (!c) return undefined;
  if (c.calibrated) return vscode.l10n.t('±{0}% measured over {1} calls', percent(c.error), c.samples);
  return vscode.l10n.t('not calibrated yet, {0} of {1} calls measured', c.samples, MIN_SAMPLES);
}

/** A sentence for a tooltip: how the estimate was calibrated, or that it will be. undefined without a calibration. */
export function calibrationDetail(c: Correction | undefined): string | undefined {
  if (!c) return undefined;
  if (c.calibrated) {
    return vscode.l10n.t(
      'No tokenizer for this model is available offline: the estimate is corrected by ×{0}, fitted on the input tokens DashScope reported for the last {1} calls. Each predicted from the others, 9 in 10 of them came within ±{2}% of the reported count (mean error {3}%).',
      c.factor.toFixed(2),
      c.samples,
      percent(c.error),
      percent(c.meanError),
    );
  }
  return vscode.l10n.t(
    'No tokenizer for this model is available offline: the estimate is calibrated from the input tokens DashScope reports, once {0} calls have been measured ({1} so far).',
    MIN_SAMPLES,
    c.samples,
  );
}
