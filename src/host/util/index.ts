export { DisposableStore } from './disposable';
export { editorText, EditorTracker, rangesText } from './editors';
export { describeError, errorText } from './errors';
export { loadCalls, loadTelemetry, onCallsLoaded, sdkBundleUse, telemetryBundleLoaded } from './lazy';
export { Log } from './log';
export { currentWorkspace } from './workspace';
export { localize } from './l10n';
