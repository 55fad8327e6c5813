import type { Client } from 'aedes';
import { clientIdOf, type IdentityRef } from '../state/identity.js';
import { encodeMessageProperties, type MessageProperties } from './message-properties.js';
import type { SessionTable } from './sessions.js';
import { allowedSubscriptions, inputMessageTopic } from './topics.js';

export interface DeviceBoundMessage {
  readonly body: Buffer | string;
  readonly properties?: Partial<MessageProperties>;
}

/** A module's named input. */
export interface InputTarget {
  readonly module: IdentityRef;
  readonly inputName: string;
}

/**
 * Messages to a module's input, driven from the test control plane as another module's routed output
 * would be: QoS 1 like the hub, delivered only to a connected module listening for inputs (routes are
 * not emulated, so nothing is queued). Cloud-to-device messages go through the hub's queues instead
 * (c2d-delivery.ts).
 */
export function deliverDeviceBound(sessions: SessionTable, target: InputTarget, message: DeviceBoundMessage): Promise<boolean> {
  const identity = target.module;
  const clientId = clientIdOf(identity);
  const client = sessions.connection(clientId);
  const family = [...allowedSubscriptions(identity)].find((topic) => !topic.startsWith('$iothub/'));
  if (client === undefined || family === undefined || !sessions.isSubscribed(clientId, family)) return Promise.resolve(false);
  const topic = inputMessageTopic(identity, target.inputName, encodeMessageProperties(message.properties ?? {}));
  return publishQos1(client, topic, Buffer.from(message.body));
}

function publishQos1(client: Client, topic: string, payload: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    client.publish({ cmd: 'publish', topic, payload, qos: 1, dup: false, retain: false }, (error) => resolve(error === undefined));
  });
}
