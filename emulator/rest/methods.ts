import { hubErrors, methodErrors } from '../errors.js';
import type { DirectMethodInvoker, MethodInvocation, MethodOutcome } from '../methods/method-invoker.js';
import { describeIdentity, type IdentityRef } from '../state/identity.js';
import type { IdentityRegistry } from '../state/registry.js';
import { jsonResponse, type RestResponse } from './http-types.js';
import { pathParam, readJsonBody, type RestContext, type Route } from './route.js';

/** Docs, "Understand and invoke direct methods": timeouts in seconds, payload up to 128 KB. */
const RESPONSE_TIMEOUT = { min: 5, max: 300, default: 30 } as const;
const CONNECT_TIMEOUT = { min: 0, max: 300, default: 0 } as const;
export const MAX_METHOD_PAYLOAD_BYTES = 128 * 1024;

/**
 * `POST /twins/{id}/methods` and `POST /twins/{id}/modules/{mid}/methods` (swagger
 * Modules_InvokeMethod / Devices_InvokeMethod): the answer waits for the device, so these routes are async.
 */
export function methodRoutes(invoker: DirectMethodInvoker): Route[] {
  const handle = (context: RestContext): Promise<RestResponse> => invokeMethod(context, invoker);
  return [
    { method: 'POST', path: '/twins/{id}/methods', permission: 'ServiceConnect', handle },
    { method: 'POST', path: '/twins/{id}/modules/{mid}/methods', permission: 'ServiceConnect', handle },
  ];
}

function invokeMethod(context: RestContext, invoker: DirectMethodInvoker): Promise<RestResponse> {
  return invokeDirectMethod({ registry: context.registry, invoker }, targetOf(context), () => readJsonBody(context.request));
}

/**
 * One invocation as the service API answers it (the control plane's inspector calls this too, so a
 * method sent from the web UI meets the same checks, invoker and answers as one sent with azure-iothub).
 */
export async function invokeDirectMethod(hub: { registry: IdentityRegistry; invoker: DirectMethodInvoker }, identity: IdentityRef, readBody: () => unknown): Promise<RestResponse> {
  assertRegistered(hub.registry, identity);
  const invocation = parseInvocation(readBody());
  return answer(identity, invocation, await hub.invoker.invoke(identity, invocation));
}

function targetOf(context: RestContext): IdentityRef {
  const deviceId = pathParam(context.params, 'id');
  const moduleId = context.params.mid;
  return moduleId === undefined ? { deviceId } : { deviceId, moduleId };
}

function assertRegistered(registry: IdentityRegistry, identity: IdentityRef): void {
  if (identity.moduleId === undefined) registry.getDevice(identity.deviceId);
  else registry.getModule(identity.deviceId, identity.moduleId);
}

function answer(identity: IdentityRef, invocation: MethodInvocation, outcome: MethodOutcome): RestResponse {
  switch (outcome.kind) {
    case 'not-online':
      throw methodErrors.deviceNotOnline(describeIdentity(identity));
    case 'timed-out':
      throw methodErrors.gatewayTimeout(describeIdentity(identity), invocation.responseTimeoutInSeconds);
    case 'answered':
      return jsonResponse(200, { status: outcome.status, payload: parseDevicePayload(outcome.payload) });
  }
}

/** The device SDKs send `JSON.stringify(payload)`; an empty body means no payload. */
function parseDevicePayload(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw hubErrors.argumentInvalid('The device answered the method with a payload that is not valid JSON.');
  }
}

export function parseInvocation(body: unknown): MethodInvocation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw hubErrors.argumentInvalid('The method request must be a JSON object.');
  const fields = body as Record<string, unknown>;
  const methodName = fields.methodName;
  if (typeof methodName !== 'string' || methodName === '') throw hubErrors.argumentInvalid('methodName is required and must be a non-empty string.');
  if (/[/#+?\s]/.test(methodName)) throw hubErrors.argumentInvalid(`The method name '${methodName}' contains characters a method name cannot have.`);
  const payload = JSON.stringify(fields.payload ?? null);
  if (Buffer.byteLength(payload) > MAX_METHOD_PAYLOAD_BYTES) throw hubErrors.tooLarge(`The method payload exceeds ${MAX_METHOD_PAYLOAD_BYTES} bytes.`);
  return {
    methodName,
    payload,
    responseTimeoutInSeconds: timeout(fields.responseTimeoutInSeconds, 'responseTimeoutInSeconds', RESPONSE_TIMEOUT),
    connectTimeoutInSeconds: timeout(fields.connectTimeoutInSeconds, 'connectTimeoutInSeconds', CONNECT_TIMEOUT),
  };
}

function timeout(value: unknown, name: string, range: { min: number; max: number; default: number }): number {
  if (value === undefined || value === null) return range.default;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw hubErrors.argumentInvalid(`${name} must be a whole number of seconds from ${range.min} to ${range.max}.`);
  }
  return value;
}
