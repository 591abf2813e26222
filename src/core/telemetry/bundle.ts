/**
 * The OpenTelemetry SDK and exporters, bundled on their own (dist/telemetry.js): src/host/util/lazy.ts loads this file
 * only when export is on and a call has ended, never during activation.
 */
export { OtelExport } from './otel';
export type { ExportOptions, ExportStats, ExportLog } from './otel';
