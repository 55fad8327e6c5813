import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
// The module object, not a named import: nock patches `https.request` on it after this file is loaded.
import https from 'node:https';
import type { Client as DeviceClientType, Message as DeviceMessage } from 'azure-iot-device';
import deviceHttp from 'azure-iot-device-http';
import { createSasToken } from '../../emulator/state/sas.js';
import { parseConnectionString } from '../../src/connection-string.js';
import { makeDeviceToken } from '../../src/flows/device-client-factory.js';
import { DeviceClient } from '../../src/sdk.js';
import { waitFor } from '../../src/wait-for.js';
import type { HubFixture, IdentityKeys } from '../mqtt/hub-fixture.js';

export const TIMEOUT_MS = 5_000;
export const API = '?api-version=2021-04-12';
export const { Http } = deviceHttp;

/**
 * A device app on the HTTPS transport, created from its connection string as the SDK's samples do.
 * The transport dials `HostName` on 443 (azure-iot-http-base buildRequest), which the embedded
 * emulator routes to its HTTPS listener; `GatewayHostName` (the MQTT port) plays no part.
 */
export function httpDevice(hub: HubFixture, identity: IdentityKeys, key?: string): DeviceClientType {
  return DeviceClient.fromConnectionString(hub.connectionString(identity, key), Http);
}

/** What the SDK's receiver got: it polls `GET .../messages/devicebound` (every 100 ms here) and emits each message. */
export class PolledMessages {
  readonly messages: DeviceMessage[] = [];
  readonly errors: Error[] = [];
  private readonly changes = new EventEmitter();

  private constructor(client: DeviceClientType) {
    client.on('message', (message: DeviceMessage) => this.record(this.messages, message));
    client.on('error', (error: Error) => this.record(this.errors, error));
  }

  /** Starts the SDK's own polling (`receivePolicy.interval`, in seconds) by listening for messages. */
  static async start(client: DeviceClientType): Promise<PolledMessages> {
    await client.setOptions({ http: { receivePolicy: { interval: 0.1 } } });
    return new PolledMessages(client);
  }

  nth(count: number): Promise<DeviceMessage> {
    return waitFor(() => this.messages[count - 1], {
      description: `cloud-to-device message #${count} over HTTPS`,
      timeoutMs: TIMEOUT_MS,
      changes: this.changes,
      seen: () => `${this.messages.length} message(s) ${JSON.stringify(this.messages.map((message) => String(message.data)))}; errors: ${this.errors.map((error) => error.message).join('; ')}`,
    });
  }

  private record<T>(list: T[], item: T): void {
    list.push(item);
    this.changes.emit('change');
  }
}

/** The device's own SAS token, as a device app makes it from its key (sr = `<host>/devices/<id>`). */
export function deviceToken(hub: HubFixture, identity: IdentityKeys, key = identity.primaryKey): string {
  return makeDeviceToken({ hostName: hub.emulator.hostName, deviceId: identity.deviceId }, key, Math.floor(Date.now() / 1000) + 3600);
}

/** A token of the hub's `iothubowner` policy (it has DeviceConnect), for the hub as a whole. */
export function ownerPolicyToken(hub: HubFixture): string {
  const fields = parseConnectionString(hub.serviceConnectionString);
  return createSasToken({ resourceUri: hub.emulator.hostName, base64Key: fields.get('SharedAccessKey') ?? '', keyName: 'iothubowner', expiry: Math.floor(Date.now() / 1000) + 3600 });
}

export interface DeviceCall {
  readonly method: string;
  /** Without the api-version, which is added. */
  readonly path: string;
  /** More query after the api-version (`reject`). */
  readonly query?: string | undefined;
  /** undefined: no Authorization header. */
  readonly token: string | undefined;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface DeviceReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request to the hub's device API as a device without an SDK sends it (REST device API). */
export function deviceRequest(hub: HubFixture, call: DeviceCall): Promise<DeviceReply> {
  const headers = { ...(call.token === undefined ? {} : { authorization: call.token }), ...call.headers };
  return new Promise((resolve, reject) => {
    const outgoing = https.request({ host: hub.emulator.hostName, method: call.method, path: `${call.path}${API}${call.query === undefined ? '' : `&${call.query}`}`, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(call.body);
  });
}

/** The hub's REST error envelope, as `iothub-errorcode` names it. */
export function errorCodeOf(reply: DeviceReply): string | undefined {
  const code = reply.headers['iothub-errorcode'];
  return Array.isArray(code) ? code[0] : code;
}
