export { calibrationDetail, calibrationNote, QwenCalibrationStore } from './calibration';
