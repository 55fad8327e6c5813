/** The control plane's JSON routes the page uses (emulator/control/http-hub-routes.ts and friends). */
export const CONTROL = '/_emulator';

export interface IdentityRef {
  readonly deviceId: string;
  readonly moduleId?: string;
}

/** GET /_emulator/identities: states and authentication types, never keys. */
export interface IdentitySummary extends IdentityRef {
  readonly status: string;
  readonly connectionState: string;
  readonly connectionStateUpdatedTime: string;
  readonly lastActivityTime: string;
  readonly authenticationType: string;
  readonly connectionCount: number;
  readonly listensForDesired: boolean;
}

export type JsonMap = Record<string, unknown>;

/** The twin as the service API shows it, with `$metadata` and `$version` in each properties section. */
export interface TwinDocument extends IdentityRef {
  readonly etag: string;
  readonly version: number;
  readonly status: string;
  readonly connectionState: string;
  readonly tags?: JsonMap;
  readonly properties: { readonly desired: JsonMap; readonly reported: JsonMap };
}

/** One device-to-cloud message from the event stream (control/http-messages.ts, telemetryDocument). */
export interface TelemetryEntry extends IdentityRef {
  readonly outputName?: string;
  readonly bodyText: string | null;
  readonly bodyBase64: string;
  readonly systemProperties: Record<string, string>;
  readonly applicationProperties: Record<string, string>;
  readonly enqueuedTime: string;
}

/** Connections, disconnections, refusals and desired deliveries (control/event-stream.ts, activityEvent). */
export interface ActivityEntry {
  readonly type: 'connected' | 'disconnected' | 'refused' | 'desired-delivered';
  readonly at: string;
  readonly transport: string;
  readonly clientId?: string;
  readonly claimedBy?: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly authentication?: string;
  readonly version?: number;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export function clientIdOf(ref: IdentityRef): string {
  return ref.moduleId === undefined ? ref.deviceId : `${ref.deviceId}/${ref.moduleId}`;
}

export function sameIdentity(a: IdentityRef, b: IdentityRef): boolean {
  return a.deviceId === b.deviceId && a.moduleId === b.moduleId;
}

/** `/_emulator/hub/twins/{id}[/modules/{mid}]`, each id percent-encoded. */
export function twinPath(ref: IdentityRef): string {
  const device = `${CONTROL}/hub/twins/${encodeURIComponent(ref.deviceId)}`;
  return ref.moduleId === undefined ? device : `${device}/modules/${encodeURIComponent(ref.moduleId)}`;
}

export async function request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

export async function getJson<T>(path: string): Promise<T> {
  const reply = await request('GET', path);
  if (reply.status !== 200) throw new Error(`${path}: ${describeFailure(reply)}`);
  return reply.body as T;
}

/** `412 PreconditionFailed: ...` from the hub's envelope (`Message: "ErrorCode:<code>;<text>"`) or the control plane's `{error}`. */
export function describeFailure(reply: Reply): string {
  const body = (reply.body ?? {}) as { Message?: unknown; error?: unknown };
  if (typeof body.Message === 'string') {
    const match = /^ErrorCode:([^;]*);(.*)$/s.exec(body.Message);
    return match === null ? `${reply.status} ${body.Message}` : `${reply.status} ${match[1] ?? ''}: ${match[2] ?? ''}`;
  }
  return typeof body.error === 'string' ? `${reply.status} ${body.error}` : `${reply.status}`;
}

export function formatTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) || time.getTime() <= 0 ? '—' : time.toLocaleTimeString();
}

/** A twin section's values without the `$metadata` and `$version` the hub puts beside them. */
export function valuesOf(section: JsonMap): JsonMap {
  const { $metadata: _metadata, $version: _version, ...values } = section;
  return values;
}
