import { ServiceClient } from '../sdk.js';

export interface DirectMethodCall {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly methodName: string;
  readonly payload?: unknown;
  readonly responseTimeoutInSeconds?: number;
  /** How long the hub waits for an offline target to connect (default 0: not at all). */
  readonly connectTimeoutInSeconds?: number;
}

export interface DirectMethodResult {
  readonly status: number;
  readonly payload: unknown;
}

/**
 * The back end invokes a direct method, as the "Quickstart: control a device" service app does:
 * `Client.invokeDeviceMethod` (REST on the hub, which waits for the device's answer).
 */
export async function invokeDirectMethod(serviceConnectionString: string, call: DirectMethodCall): Promise<DirectMethodResult> {
  const client = ServiceClient.fromConnectionString(serviceConnectionString);
  const params = {
    methodName: call.methodName,
    payload: call.payload ?? null,
    ...(call.responseTimeoutInSeconds === undefined ? {} : { responseTimeoutInSeconds: call.responseTimeoutInSeconds }),
    ...(call.connectTimeoutInSeconds === undefined ? {} : { connectTimeoutInSeconds: call.connectTimeoutInSeconds }),
  };
  const response: { result: unknown } = call.moduleId === undefined
    ? await client.invokeDeviceMethod(call.deviceId, params)
    : await client.invokeDeviceMethod(call.deviceId, call.moduleId, params);
  return response.result as DirectMethodResult;
}
