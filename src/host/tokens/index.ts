export { calibrationDetail, calibrationNote, QwenCalibrationStore } from './calibration';
export { Tokens, requestText } from './counting';
