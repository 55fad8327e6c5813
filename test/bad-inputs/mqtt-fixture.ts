import assert from 'node:assert/strict';
import { once } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { clientIdOf, type IdentityRef } from '../../emulator/state/identity.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { Registry } from '../../src/sdk.js';

/**
 * Raw MQTT (the `mqtt` package the device SDK itself uses) against the embedded emulator, for inputs
 * no SDK would send. Identities are made with the official service SDK.
 */
export const API_VERSION = '2021-04-12';
const TIMEOUT_MS = 5_000;

export interface KeyedIdentity extends IdentityRef {
  readonly key: string;
}

export interface MqttBench {
  readonly emulator: StartedIotHubEmulator;
  readonly m1: KeyedIdentity;
  readonly m2: KeyedIdentity;
  readonly d2: KeyedIdentity;
}

/** The part of the registry's answer (typed `any` by the SDK) that is used here. */
interface RegisteredIdentity {
  readonly authentication?: { readonly symmetricKey?: { readonly primaryKey?: string } };
}

export async function startMqttBench(): Promise<MqttBench> {
  const emulator = await new IotHubEmulator().start();
  const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
  await registry.create({ deviceId: 'd1' });
  const d2 = (await registry.create({ deviceId: 'd2' })).responseBody as RegisteredIdentity;
  const m1 = (await registry.addModule({ deviceId: 'd1', moduleId: 'm1' })).responseBody as RegisteredIdentity;
  const m2 = (await registry.addModule({ deviceId: 'd1', moduleId: 'm2' })).responseBody as RegisteredIdentity;
  await registry.updateTwin('d1', { properties: { desired: { speed: 1 } } }, '*');
  const keyOf = (identity: RegisteredIdentity): string => {
    const key = identity.authentication?.symmetricKey?.primaryKey;
    assert.ok(key !== undefined, 'the registry returned a primary key');
    return key;
  };
  return {
    emulator,
    m1: { deviceId: 'd1', moduleId: 'm1', key: keyOf(m1) },
    m2: { deviceId: 'd1', moduleId: 'm2', key: keyOf(m2) },
    d2: { deviceId: 'd2', key: keyOf(d2) },
  };
}

export { clientIdOf };

export function resourceOf(host: string, identity: IdentityRef): string {
  return `${host}/devices/${identity.deviceId}${identity.moduleId === undefined ? '' : `/modules/${identity.moduleId}`}`;
}

/** Username, password and client id as the device SDK builds them (wire notes §2). */
export interface Credentials {
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
}

export function validCredentials(bench: MqttBench, identity: KeyedIdentity, expiry = Math.floor(Date.now() / 1000) + 3600): Credentials {
  const clientId = clientIdOf(identity);
  return {
    clientId,
    username: `${bench.emulator.hostName}/${clientId}/?api-version=${API_VERSION}`,
    password: createSasToken({ resourceUri: resourceOf(bench.emulator.hostName, identity), base64Key: identity.key, expiry }),
  };
}

function options(bench: MqttBench, credentials: Credentials): IClientOptions {
  return {
    ...credentials,
    protocolVersion: 4,
    clean: false,
    ca: bench.emulator.caCertificate,
    reconnectPeriod: 0,
    connectTimeout: TIMEOUT_MS,
  };
}

/** The CONNACK return code: 0 accepted (the client is returned open), anything else refused. */
export async function connect(bench: MqttBench, credentials: Credentials): Promise<{ returnCode: number; client: MqttClient; sessionPresent: boolean }> {
  const client = mqtt.connect(`mqtts://127.0.0.1:${bench.emulator.mqttPort}`, options(bench, credentials));
  client.on('error', () => undefined);
  // Not events.once: it rejects on 'error', and a refused CONNACK arrives as an 'error'.
  let sessionPresent = false;
  const connack = new Promise<number>((resolve) => {
    client.once('connect', (packet: { sessionPresent?: boolean }) => {
      sessionPresent = packet.sessionPresent === true;
      resolve(0);
    });
    client.once('error', (error: Error & { code?: unknown }) => resolve(typeof error.code === 'number' ? error.code : -1));
    client.once('close', () => resolve(-1));
  });
  const outcome = await Promise.race([connack, deadline(`CONNACK for ${credentials.clientId}`)]);
  return { returnCode: outcome, client, sessionPresent };
}

export async function connectOrFail(bench: MqttBench, identity: KeyedIdentity): Promise<MqttClient> {
  const { returnCode, client } = await connect(bench, validCredentials(bench, identity));
  assert.equal(returnCode, 0, `a valid CONNECT for ${clientIdOf(identity)} is accepted`);
  return client;
}

export function deadline(what: string, timeoutMs = TIMEOUT_MS): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs).unref();
  });
}

export async function closed(client: MqttClient, what: string): Promise<void> {
  if (!client.connected && client.disconnected) return;
  await Promise.race([once(client, 'close'), deadline(what)]);
}

export async function end(client: MqttClient): Promise<void> {
  await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
}

/** The twins of every identity, which no bad input may change. */
export function twinSnapshot(bench: MqttBench): string {
  const { control } = bench.emulator;
  const refs: IdentityRef[] = [{ deviceId: 'd1' }, { deviceId: 'd1', moduleId: 'm1' }, { deviceId: 'd1', moduleId: 'm2' }, { deviceId: 'd2' }];
  return JSON.stringify({ devices: control.deviceCount(), twins: refs.map((ref) => control.twinOf(ref)) });
}

/** A well-behaved client can still connect and read its twin over `$iothub/twin/GET`. */
export async function assertStillServing(bench: MqttBench, identity: KeyedIdentity = bench.m2): Promise<void> {
  const client = await connectOrFail(bench, identity);
  try {
    const reply = await twinRequest(client, '$iothub/twin/GET/?$rid=probe', '');
    assert.match(reply.topic, /^\$iothub\/twin\/res\/200\//, `twin GET answered 200 (got ${reply.topic})`);
  } finally {
    await end(client);
  }
}

export async function subscribe(client: MqttClient, topics: string[]): Promise<number[]> {
  const granted = await new Promise<mqtt.ISubscriptionGrant[]>((resolve, reject) =>
    client.subscribe(topics, { qos: 0 }, (error: Error | null | undefined, grants) => (error ? reject(error) : resolve(grants))));
  return granted.map((grant) => grant.qos);
}

/** Subscribes to twin responses, publishes, and waits for the response with this request's $rid. */
export async function twinRequest(client: MqttClient, topic: string, payload: Buffer | string): Promise<{ topic: string; body: string }> {
  const grants = await subscribe(client, ['$iothub/twin/res/#']);
  assert.deepEqual(grants, [0], 'the twin response subscription is granted');
  const rid = /\$rid=([^&]+)/.exec(topic)?.[1] ?? '';
  const response = new Promise<{ topic: string; body: string }>((resolve) => {
    client.on('message', (received: string, body: Buffer) => {
      if (received.includes(`$rid=${rid}`)) resolve({ topic: received, body: body.toString() });
    });
  });
  client.publish(topic, payload, { qos: 0 });
  return Promise.race([response, deadline(`the twin response to ${topic}`)]);
}
