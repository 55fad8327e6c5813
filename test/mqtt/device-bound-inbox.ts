import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { waitFor } from '../../src/wait-for.js';
import { socketOf } from './raw-mqtt.js';

const TIMEOUT_MS = 10_000;

/** Every PUBLISH one raw connection received, in order, with a `change` on each: pass `onMessage` to rawConnect. */
export class RawInbox extends EventEmitter {
  readonly received: { topic: string; body: string }[] = [];

  readonly onMessage = (topic: string, payload: Buffer): void => {
    this.received.push({ topic, body: payload.toString() });
    this.emit('change');
  };

  /** The bodies of the cloud-to-device messages among them. */
  get deviceBound(): string[] {
    return this.received.filter((message) => message.topic.includes('/messages/devicebound/')).map((message) => message.body);
  }

  async waitUntil(description: string, done: (inbox: RawInbox) => boolean): Promise<void> {
    await waitFor(() => (done(this) ? true : undefined), { description, timeoutMs: TIMEOUT_MS, changes: this, seen: () => JSON.stringify(this.received) });
  }

  /** Waits for `count` cloud-to-device messages and returns their bodies. */
  async waitForDeviceBound(count: number): Promise<string[]> {
    await this.waitUntil(`${String(count)} cloud-to-device message(s)`, (inbox) => inbox.deviceBound.length >= count);
    return this.deviceBound;
  }
}

/**
 * The device receives but does not acknowledge: each device-bound message holds the connection's
 * writes (its PUBACK first) until `release`. It goes on reading.
 */
export function holdEachAcknowledgement(client: MqttClient): { release: () => void } {
  let corked = false;
  client.on('packetreceive', (packet: { cmd: string; topic?: string }) => {
    if (corked || packet.cmd !== 'publish' || packet.topic?.includes('/messages/devicebound/') !== true) return;
    corked = true;
    socketOf(client).cork();
  });
  return {
    release: () => {
      corked = false;
      socketOf(client).uncork();
    },
  };
}
