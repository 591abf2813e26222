import { userValue, type Inspected } from '../destinations';
import { msg, type Message } from '../messages';

/** `tierwise.telemetry.*`, read from the user's settings only: a workspace can neither turn export on nor redirect it. */
export interface TelemetrySettings {
  /** OTLP/HTTP base URL (as OTEL_EXPORTER_OTLP_ENDPOINT): traces go to …/v1/traces, metrics to …/v1/metrics. */
  endpoint?: string;
  /** Names of the headers sent to the collector; their values are in SecretStorage. */
  headerNames: string[];
  serviceName: string;
  resourceAttributes: Record<string, string>;
  captureContent: boolean;
  workspaceNames: boolean;
  /** Settings whose workspace value was ignored. */
  ignored: string[];
  /** Invalid values, each naming the setting and what is used instead. */
  problems: Message[];
}

export const TELEMETRY_KEYS = ['otlpEndpoint', 'headers', 'serviceName', 'resourceAttributes', 'captureContent', 'workspaceNames'] as const;

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const DEFAULT_SERVICE_NAME = 'tierwise';

/** The OTLP base URL: http(s), without a trailing slash or a signal path; undefined when empty or not a URL. */
export function otlpBase(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.toString().replace(/\/v1\/(traces|metrics)\/?$/, '').replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** Resolves the telemetry settings from `inspect(key)` (key under `tierwise.telemetry.`). */
export function resolveTelemetrySettings(inspect: (key: string) => Inspected | undefined): TelemetrySettings {
  const ignored: string[] = [];
  const problems: Message[] = [];
  const get = (key: (typeof TELEMETRY_KEYS)[number]): unknown => {
    const i = inspect(key);
    if (i && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined)) ignored.push(`tierwise.telemetry.${key}`);
    return userValue(i);
  };
  const rawEndpoint = get('otlpEndpoint');
  const endpoint = otlpBase(rawEndpoint);
  if (typeof rawEndpoint === 'string' && rawEndpoint.trim() && !endpoint) problems.push(msg('settings.telemetry.endpoint'));
  const rawHeaders = get('headers');
  const headerNames = [...new Set((Array.isArray(rawHeaders) ? rawHeaders : []).filter((h): h is string => typeof h === 'string' && HEADER_NAME.test(h)))];
  if (Array.isArray(rawHeaders) && headerNames.length !== rawHeaders.length) problems.push(msg('settings.telemetry.headers'));
  const rawName = get('serviceName');
  const serviceName = typeof rawName === 'string' && rawName.trim() ? rawName.trim() : DEFAULT_SERVICE_NAME;
  const rawAttrs = get('resourceAttributes');
  const resourceAttributes: Record<string, string> = {};
  if (rawAttrs && typeof rawAttrs === 'object' && !Array.isArray(rawAttrs)) {
    for (const [k, v] of Object.entries(rawAttrs as Record<string, unknown>)) {
      if (ATTRIBUTE_KEY.test(k) && typeof v === 'string' && v) resourceAttributes[k] = v;
      else problems.push(msg('settings.telemetry.attribute', k));
    }
  }
  return {
    ...(endpoint ? { endpoint } : {}),
    headerNames,
    serviceName,
    resourceAttributes,
    captureContent: get('captureContent') === true,
    workspaceNames: get('workspaceNames') === true,
    ignored,
    problems,
  };
}
