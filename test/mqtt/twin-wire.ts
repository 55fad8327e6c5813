import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { clientIdOf } from '../../src/control/emulator-control-client.js';
import { waitFor } from '../../src/wait-for.js';
import type { HubFixture, IdentityKeys } from './hub-fixture.js';
import { credentialsFor, rawConnect, subscribeGranted } from './raw-mqtt.js';

const TIMEOUT_MS = 5_000;
const DESIRED_TOPIC = '$iothub/twin/PATCH/properties/desired/';
export const DESIRED_SUBSCRIPTION = '$iothub/twin/PATCH/properties/desired/#';
export const RESPONSE_SUBSCRIPTION = '$iothub/twin/res/#';

export interface WireMessage {
  readonly topic: string;
  readonly body: string;
}

/**
 * A raw MQTT connection that records everything the hub sends it, for what the SDKs hide: which
 * desired patches arrive on the wire, with their exact bodies. `roundTrip` is the sequence point for
 * "nothing arrived": the hub handles one connection's packets in order and TCP keeps that order, so a
 * patch the hub sent before answering a twin GET arrives before the answer.
 */
export class WireClient {
  readonly messages: WireMessage[] = [];
  private readonly changes = new EventEmitter();
  private nextRequestId = 1;

  private constructor(
    readonly client: MqttClient,
    readonly sessionPresent: boolean,
  ) {
    client.on('message', (topic: string, payload: Buffer) => {
      this.messages.push({ topic, body: payload.toString() });
      this.changes.emit('change');
    });
  }

  /** Connects as the identity (clean=false unless `clean`), subscribed to nothing this connection. */
  static async connect(hub: HubFixture, identity: IdentityKeys, clean = false): Promise<WireClient> {
    const { client, returnCode, sessionPresent } = await rawConnect(hub, { ...credentialsFor(hub, identity), clean });
    assert.equal(returnCode, 0, `CONNECT as ${clientIdOf(identity)} is accepted`);
    return new WireClient(client, sessionPresent);
  }

  async subscribe(...topics: string[]): Promise<void> {
    for (const topic of topics) assert.equal(await subscribeGranted(this.client, topic), 0, `SUBSCRIBE ${topic} is granted`);
  }

  /** The desired-property notifications received so far, as parsed bodies. */
  desiredPatches(): unknown[] {
    return this.messages.filter((message) => message.topic.startsWith(DESIRED_TOPIC)).map((message) => JSON.parse(message.body) as unknown);
  }

  /** A twin GET on this connection (which must be subscribed to responses); resolves with the response body. */
  async roundTrip(): Promise<unknown> {
    const answer = await this.twinRequest('$iothub/twin/GET/', ' ');
    assert.match(answer.topic, /^\$iothub\/twin\/res\/200\//, `twin GET answered 200 (got ${answer.topic})`);
    return JSON.parse(answer.body) as unknown;
  }

  /** Publishes a twin request (`GET` or a reported `PATCH`) with a fresh `$rid` and waits for its answer. */
  async twinRequest(topicPrefix: string, body: string): Promise<WireMessage> {
    const requestId = `probe-${this.nextRequestId++}`;
    const isAnswer = (message: WireMessage): boolean => message.topic.startsWith('$iothub/twin/res/') && message.topic.includes(`$rid=${requestId}`);
    this.client.publish(`${topicPrefix}?$rid=${requestId}`, body, { qos: 0 });
    return waitFor(() => this.messages.find(isAnswer), {
      description: `the answer to ${topicPrefix} ${requestId}`,
      timeoutMs: TIMEOUT_MS,
      changes: this.changes,
      seen: () => JSON.stringify(this.messages.map((message) => message.topic)),
    });
  }

  /** Waits for the desired patch with this `$version` and returns its body. */
  async desiredPatch(version: number): Promise<unknown> {
    return waitFor(() => this.desiredPatches().find((patch) => (patch as { $version?: unknown }).$version === version), {
      description: `the desired patch with $version ${version}`,
      timeoutMs: TIMEOUT_MS,
      changes: this.changes,
      seen: () => JSON.stringify(this.desiredPatches()),
    });
  }

  /** Sends DISCONNECT and resolves once the hub no longer counts the identity as connected. */
  async disconnect(hub: HubFixture, identity: IdentityKeys): Promise<void> {
    await new Promise<void>((resolve) => this.client.end(false, {}, () => resolve()));
    await hub.untilDisconnected(identity, TIMEOUT_MS);
  }
}

/** The back end's desired update through the service SDK; resolves with the new desired `$version`. */
export async function setDesired(hub: HubFixture, identity: IdentityKeys, desired: Record<string, unknown>): Promise<number> {
  const patch = { properties: { desired } };
  const twin = identity.moduleId === undefined
    ? (await hub.registry.updateTwin(identity.deviceId, patch, '*')).responseBody
    : (await hub.registry.updateModuleTwin(identity.deviceId, identity.moduleId, patch, '*')).responseBody;
  const version: unknown = twin.properties.desired.$version;
  assert.equal(typeof version, 'number', 'the updated twin has a desired $version');
  return version as number;
}
