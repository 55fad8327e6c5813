import { hubErrors } from '../errors.js';
import type { Clock } from '../state/clock.js';
import type { Permission } from '../state/policies.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { TelemetryBuffer } from '../state/telemetry.js';
import type { ActivityFeed } from '../state/activity.js';
import type { RestRequest, RestResponse } from './http-types.js';

export interface RestContext {
  readonly request: RestRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly registry: IdentityRegistry;
  readonly clock: Clock;
  /** The hub's cloud-to-device queues; undefined where no messaging is served (REST-only fixtures). */
  readonly cloudToDevice: CloudToDeviceQueues | undefined;
  /** Where device-to-cloud messages are kept (the buffer MQTT telemetry goes to); undefined in REST-only fixtures. */
  readonly telemetry?: TelemetryBuffer | undefined;
  /** The activity feed (state/activity.ts); undefined in REST-only fixtures. */
  readonly activity?: ActivityFeed | undefined;
}

/** The device's pending cloud-to-device messages, for `cloudToDeviceMessageCount`. */
export function pendingMessages(context: RestContext, deviceId: string): number {
  return context.cloudToDevice?.pendingCount(deviceId) ?? 0;
}

export interface Route {
  readonly method: string;
  /** Path template with `{name}` segments, as in the swagger file. */
  readonly path: string;
  /**
   * What the caller's token must grant. `DeviceConnect` routes are the device API: the token is the
   * device's own (or a policy's with DeviceConnect) for the device in the path (rest/device-auth.ts).
   */
  readonly permission: Permission;
  /** Match the path's fixed segments without regard to case (the SDKs send `devicebound`, the docs `deviceBound`). */
  readonly caseInsensitivePath?: boolean;
  /** Async for routes that wait on a device (direct methods). */
  handle(context: RestContext): RestResponse | Promise<RestResponse>;
}

export function readJsonBody(request: RestRequest): unknown {
  if (request.body.trim() === '') throw hubErrors.argumentInvalid('The request body is empty; a JSON document is required.');
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    // Not the parser's message: V8 quotes a slice of the body, which may hold a key.
    throw hubErrors.argumentInvalid('The request body is not valid JSON.');
  }
}

/**
 * A `{name}` segment of the route's path template. The router matched the template, so the segment is
 * there; a route that asks for one its template lacks is a programming error, not a bad request.
 */
export function pathParam(params: Readonly<Record<string, string>>, name: 'id' | 'mid' | 'etag'): string {
  const value = params[name];
  if (value === undefined) throw new Error(`The route's path template has no {${name}} segment.`);
  return value;
}

export function ifMatchHeader(request: RestRequest): string | undefined {
  return request.headers['if-match'];
}

export function compileTemplate(template: string, options: { caseInsensitive?: boolean } = {}): RegExp {
  const source = template.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`, options.caseInsensitive === true ? 'i' : '');
}
