/** The part of the webview API Tierwise uses (`acquireVsCodeApi` may be called only once per page). */
export interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
export function acquireVsCode(): VsCodeApi {
  return (api ??= acquireVsCodeApi());
}
