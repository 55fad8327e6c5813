import type { DeviceMethodRequest, DeviceMethodResponse, ModuleClient as ModuleClientType } from 'azure-iot-device';
import { Message, ModuleClient } from '../sdk.js';
import type { DeviceSideClient } from './device-client-factory.js';

export interface MethodAnswer {
  readonly status: number;
  readonly payload: unknown;
}

export interface ReceivedMethodCall {
  readonly methodName: string;
  readonly payload: unknown;
}

type MethodCallback = (request: DeviceMethodRequest, response: DeviceMethodResponse) => void;

/** The device Client names it `onDeviceMethod`, the ModuleClient `onMethod`. */
function onMethod(client: DeviceSideClient, methodName: string, callback: MethodCallback): void {
  // The typings make both arguments optional; the SDK always passes both.
  const handler = (request?: DeviceMethodRequest, response?: DeviceMethodResponse): void => {
    if (request !== undefined && response !== undefined) callback(request, response);
  };
  if (client instanceof ModuleClient) client.onMethod(methodName, handler);
  else client.onDeviceMethod(methodName, handler);
}

/**
 * A direct-method handler as the tutorials write one (`client.onMethod`): it records each call and
 * answers with what `answer` returns, or never answers when it returns undefined (a device that hangs).
 */
export function handleMethod(client: DeviceSideClient, methodName: string, answer: (payload: unknown) => MethodAnswer | undefined): ReceivedMethodCall[] {
  const calls: ReceivedMethodCall[] = [];
  onMethod(client, methodName, (request, response) => {
    const payload: unknown = request.payload;
    calls.push({ methodName: request.methodName, payload });
    const reply = answer(payload);
    if (reply !== undefined) void response.send(reply.status, reply.payload);
  });
  return calls;
}

/** Device-to-cloud telemetry with application properties (resolves on the hub's PUBACK). */
export async function sendTelemetry(client: DeviceSideClient, body: string, properties: Readonly<Record<string, string>> = {}): Promise<void> {
  await client.sendEvent(messageOf(body, properties));
}

/** A module's output (`sendOutputEvent`), which the hub routes like telemetry tagged with the output name. */
export async function sendModuleOutput(client: ModuleClientType, outputName: string, body: string): Promise<void> {
  await client.sendOutputEvent(outputName, messageOf(body, {}));
}

function messageOf(body: string, properties: Readonly<Record<string, string>>): InstanceType<typeof Message> {
  const message = new Message(body);
  for (const [name, value] of Object.entries(properties)) message.properties.add(name, value);
  return message;
}
