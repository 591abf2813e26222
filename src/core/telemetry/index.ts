/** Telemetry's pure part: call facts → span and metric records, settings, the workspace identity. No SDK here. */
export * from './types';
export { callAttributes, callMetrics, callSpan, serverOf, GEN_AI_PROVIDER, OPERATION } from './mapping';
export { AttemptTimeline } from './timeline';
export { callFromOutcome, type OutcomeFacts } from './fromOutcome';
export { workspaceIdentity } from './workspace';
export { resolveTelemetrySettings, otlpBase, HEADER_NAME, DEFAULT_SERVICE_NAME, TELEMETRY_KEYS, type TelemetrySettings } from './settings';
export { DropOldestQueue } from './queue';
