export { AttemptTimeline, costOfRecord, pipelineCall, Telemetry } from './telemetry';
