import type { Aedes, Client, PublishPacket } from 'aedes';
import type { CloudToDeviceMessage } from '../state/c2d-message.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import { encodeMessageProperties } from './message-properties.js';
import type { SessionTable } from './sessions.js';
import { cloudToDeviceTopic } from './topics.js';

const deviceboundFamily = (deviceId: string): string => `devices/${deviceId}/messages/devicebound/#`;

/** System properties of a C2D message in its topic (MQTT support doc, "Receiving cloud-to-device messages"). */
function topicFor(message: CloudToDeviceMessage): string {
  const system: Record<string, string> = { to: `/devices/${encodeURIComponent(message.deviceId)}/messages/devicebound` };
  if (message.messageId !== undefined) system.mid = message.messageId;
  if (message.correlationId !== undefined) system.cid = message.correlationId;
  if (message.userId !== undefined) system.uid = message.userId;
  if (message.contentType !== undefined) system.ct = message.contentType;
  if (message.contentEncoding !== undefined) system.ce = message.contentEncoding;
  system.exp = new Date(message.expiresAt).toISOString();
  const application = { ...message.applicationProperties, 'iothub-ack': message.ack };
  return cloudToDeviceTopic({ deviceId: message.deviceId }, encodeMessageProperties({ system, application }));
}

/**
 * Cloud-to-device messages from the hub's queues to MQTT devices: one message at a time per device,
 * QoS 1, to the device's one connection once it subscribes to `devices/{id}/messages/devicebound/#`;
 * its PUBACK completes it (the SDK completes on PUBACK: MQTT devices cannot reject or abandon, C2D
 * doc). A message whose PUBACK never comes stays locked, and is delivered again after the hub's
 * 1-minute lock timeout if no PUBACK came by then. Returns the unsubscribe function.
 */
export function deliverCloudToDevice(aedes: Aedes, parts: { sessions: SessionTable; queues: CloudToDeviceQueues }): () => void {
  const delivery = new CloudToDeviceDelivery(parts.sessions, parts.queues);
  // A SUBSCRIBE may be the one to the device-bound family: deliver() checks, so any will do.
  const onSubscribe = (_subscriptions: unknown, client: Client): void => delivery.deliver(client.id);
  const onAck = (_packet: unknown, client: Client): void => delivery.acknowledged(client);
  const onClient = (client: Client): void => delivery.connected(client);
  aedes.on('subscribe', onSubscribe);
  aedes.on('ack', onAck);
  // clientReady, not client: aedes emits `client` before it sends CONNACK and replays a kept session's
  // unacknowledged publishes (handlers/connect.js emptyQueue); a delivery then would race the replay
  // and the device could get the same message twice.
  aedes.on('clientReady', onClient);
  // A reset ('c2d-cleared') needs nothing here: a token whose message is gone is found unlocked and dropped.
  const stop = parts.queues.changes.subscribe((change) => {
    if (change.type === 'c2d-enqueued' || change.type === 'c2d-available') delivery.deliver(change.deviceId);
  });
  return () => {
    stop();
    aedes.off('subscribe', onSubscribe);
    aedes.off('ack', onAck);
    aedes.off('clientReady', onClient);
  };
}

/** The lock token of the one message in flight per device, and what moves it on. */
class CloudToDeviceDelivery {
  private readonly inFlight = new Map<string, string>();

  constructor(
    private readonly sessions: SessionTable,
    private readonly queues: CloudToDeviceQueues,
  ) {}

  deliver(deviceId: string): void {
    const client = this.sessions.connection(deviceId);
    const pending = this.inFlight.get(deviceId);
    // A lock that timed out (or was settled elsewhere) frees the device for the next delivery.
    if (pending !== undefined && !this.queues.isLocked(deviceId, pending)) this.inFlight.delete(deviceId);
    if (this.inFlight.has(deviceId) || client === undefined || !this.sessions.isSubscribed(deviceId, deviceboundFamily(deviceId))) return;
    const locked = this.queues.lockNext(deviceId);
    if (locked === undefined) return;
    this.inFlight.set(deviceId, locked.lockToken);
    publish(client, topicFor(locked.message), locked.message.body);
  }

  /**
   * aedes emits 'ack' for the PUBACK of any QoS 1 publish it sent, and hands its stored copy of the
   * publish only for a kept session (lib/client.js deliverQoS), so the packet cannot tell a clean
   * device's ack apart. It need not: the C2D message is the only QoS 1 publish the hub sends a device
   * (twin and method traffic is QoS 0; module inputs go to module client ids, which have nothing in flight).
   */
  acknowledged(client: Client): void {
    const lockToken = this.inFlight.get(client.id);
    if (lockToken === undefined) return;
    this.inFlight.delete(client.id);
    try {
      this.queues.complete(client.id, lockToken);
    } catch {
      // The lock had timed out and the message was delivered again: the later PUBACK completes it.
    }
    this.deliver(client.id);
  }

  /**
   * A reconnect with clean=false gets the unacknowledged message again from aedes' session (MQTT
   * 3.1.1 §4.4), and its PUBACK completes it; a clean session has lost it, so it is unlocked and sent anew.
   */
  connected(client: Client): void {
    const pending = this.inFlight.get(client.id);
    if (pending !== undefined && client.clean) {
      this.inFlight.delete(client.id);
      this.queues.unlock(client.id, pending);
    }
    this.deliver(client.id);
  }
}

function publish(client: Client, topic: string, payload: Buffer): void {
  const packet: PublishPacket = { cmd: 'publish', topic, payload, qos: 1, dup: false, retain: false };
  // A failed write means the connection is going away; the message stays locked and comes back.
  client.publish(packet, () => undefined);
}
