/** What a calibration gives counting (calibration.ts fits it; TokenCounter in client.ts applies it). */

/** How the estimates of one model are corrected. */
export interface Correction {
  /** Multiply the estimate by this (1 while uncalibrated). */
  factor: number;
  /** Calls measured for this model (at most MAX_SAMPLES). */
  samples: number;
  /** At least MIN_SAMPLES calls measured: `factor` applies and `error` says how far off the result is. */
  calibrated: boolean;
  /** 90th percentile of the leave-one-out relative error of the corrected estimate (0.04: ±4%); set when calibrated. */
  error?: number;
  /** Mean of the same errors; set when calibrated. */
  meanError?: number;
}

/** What counting asks of a calibration: the correction for a model (TokenCounter's port). */
export interface CalibrationSource {
  correction(model: string): Correction;
}
