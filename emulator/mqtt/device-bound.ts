import type { Client } from 'aedes';
import { clientIdOf, type IdentityRef } from '../state/identity.js';
import { encodeMessageProperties, type MessageProperties } from './message-properties.js';
import type { SessionTable } from './sessions.js';
import { allowedSubscriptions, cloudToDeviceTopic, inputMessageTopic } from './topics.js';

export interface DeviceBoundMessage {
  readonly body: Buffer | string;
  readonly properties?: Partial<MessageProperties>;
}

/** Which topic family the message goes to: a module's named input, or a device's cloud-to-device queue. */
export type DeviceBoundTarget = { readonly module: IdentityRef; readonly inputName: string } | { readonly device: string };

/**
 * Hub-to-device messages, driven from the test control plane (the service SDK sends cloud-to-device
 * messages over AMQP, which is not emulated). QoS 1 like the hub; delivered only to a connected,
 * subscribed client. The hub would queue C2D messages for an offline device; the emulator does not.
 */
export function deliverDeviceBound(sessions: SessionTable, target: DeviceBoundTarget, message: DeviceBoundMessage): Promise<boolean> {
  const identity: IdentityRef = 'module' in target ? target.module : { deviceId: target.device };
  const clientId = clientIdOf(identity);
  const client = sessions.connection(clientId);
  const family = [...allowedSubscriptions(identity)].find((topic) => !topic.startsWith('$iothub/'));
  if (client === undefined || family === undefined || !sessions.isSubscribed(clientId, family)) return Promise.resolve(false);
  const properties = encodeMessageProperties(message.properties ?? {});
  const topic = 'module' in target ? inputMessageTopic(identity, target.inputName, properties) : cloudToDeviceTopic(identity, properties);
  return publishQos1(client, topic, Buffer.from(message.body));
}

function publishQos1(client: Client, topic: string, payload: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    client.publish({ cmd: 'publish', topic, payload, qos: 1, dup: false, retain: false }, (error) => resolve(error === undefined));
  });
}
