import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import mqtt, { type MqttClient } from 'mqtt';
import { makeDeviceToken } from '../../src/flows/device-client-factory.js';
import type { HubFixture, IdentityKeys } from './hub-fixture.js';

/**
 * A hand-made MQTT client, only for protocol-level refusals the SDKs cannot be made to send
 * (another identity's topics, a CONNECT whose parts disagree). Scenarios always use the SDKs.
 */
export interface RawConnectInit {
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  /** MQTT clean-session flag; false (what the SDKs send) when absent. */
  readonly clean?: boolean;
  /** The keep-alive the CONNECT announces (MQTT 3.1.1 §3.1.2.10); mqtt.js' 60 s when absent. */
  readonly keepaliveSeconds?: number;
  /** Hears every PUBLISH from the start, a kept session's replay right after CONNACK included. */
  readonly onMessage?: (topic: string, payload: Buffer) => void;
}

export function credentialsFor(hub: HubFixture, identity: IdentityKeys, overrides: Partial<RawConnectInit> = {}): RawConnectInit {
  const clientId = identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
  const token = makeDeviceToken({ hostName: hub.emulator.hostName, ...identity }, identity.primaryKey, Math.floor(Date.now() / 1000) + 600);
  return { clientId, username: `${hub.emulator.hostName}/${clientId}/?api-version=2021-04-12`, password: token, ...overrides };
}

/** Connects and resolves with the client, the CONNACK return code (0 accepted, 5 not authorized) and its session-present flag. */
export async function rawConnect(hub: HubFixture, init: RawConnectInit): Promise<{ client: MqttClient; returnCode: number; sessionPresent: boolean }> {
  const client = mqtt.connect({
    protocol: 'mqtts',
    host: '127.0.0.1',
    port: hub.emulator.mqttPort,
    ca: hub.emulator.caCertificate,
    clientId: init.clientId,
    username: init.username,
    password: init.password,
    clean: init.clean ?? false,
    reconnectPeriod: 0,
    protocolVersion: 4,
    ...(init.keepaliveSeconds === undefined ? {} : { keepalive: init.keepaliveSeconds }),
  });
  if (init.onMessage !== undefined) client.on('message', init.onMessage);
  const connack = await new Promise<{ returnCode: number; sessionPresent: boolean }>((resolve, reject) => {
    client.once('connect', (packet: { returnCode: number; sessionPresent: boolean }) => resolve(packet));
    client.once('error', (error: Error & { code?: number }) => (typeof error.code === 'number' ? resolve({ returnCode: error.code, sessionPresent: false }) : reject(error)));
  });
  return { client, ...connack };
}

export async function subscribeGranted(client: MqttClient, topic: string, qos: 0 | 1 | 2 = 0): Promise<number> {
  const granted = await new Promise<{ qos: number }[]>((resolve, reject) => {
    client.subscribe(topic, { qos }, (error: Error | null | undefined, grants) => (error ? reject(error) : resolve(grants)));
  });
  return granted[0]?.qos ?? -1;
}

/** Publishes at QoS 1 and resolves 'closed' if the broker closes the connection instead of acknowledging. */
export async function publishOutcome(client: MqttClient, topic: string, body: string, qos: 1 | 2 = 1): Promise<'acknowledged' | 'closed'> {
  const closed = once(client, 'close').then(() => 'closed' as const);
  const acked = new Promise<'acknowledged'>((resolve) => {
    client.publish(topic, body, { qos }, (error) => {
      if (!error) resolve('acknowledged');
    });
  });
  return Promise.race([closed, acked]);
}

/**
 * The client's socket, to make a device misbehave below the protocol: cork it (nothing it writes leaves,
 * PUBACKs and PINGREQs included) or destroy it (the device vanishes). mqtt.js does not type `stream`.
 */
export function socketOf(client: MqttClient): Duplex {
  return (client as unknown as { stream: Duplex }).stream;
}
