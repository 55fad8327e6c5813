import type { Client } from 'aedes';
import type { ActivityFeed, ActivityTransport, RefusalReason } from '../state/activity.js';
import { refusalReasonOf } from '../state/refusal-reasons.js';
import type { MessageProperties } from './message-properties.js';

/**
 * What the MQTT side tells the activity feed (state/activity.ts): refused CONNECTs, connections and
 * why they ended, telemetry taken in, packets for debug. Only ids, reasons, topics and sizes: the
 * password, the client certificate and the payload never reach it.
 */
export class MqttActivity {
  private readonly authentications = new WeakMap<Client, 'sas' | 'x509'>();
  /** Why the emulator itself is closing a connection, told before it does. */
  private readonly closeReasons = new WeakMap<Client, string>();

  constructor(private readonly feed: ActivityFeed) {}

  /** `reason` when the caller knows it; otherwise read from the check's text. */
  refused(client: Client, reasonText: string, reason: RefusalReason = refusalReasonOf(reasonText)): void {
    this.feed.announce({ type: 'refused', at: new Date(), transport: transportOf(client), claimedBy: client.id, reason, detail: reasonText });
  }

  authenticated(client: Client, authentication: 'sas' | 'x509'): void {
    this.authentications.set(client, authentication);
  }

  connected(client: Client): void {
    this.feed.announce({ type: 'connected', at: new Date(), transport: transportOf(client), clientId: client.id, authentication: this.authentications.get(client) ?? 'sas' });
  }

  /** The emulator is about to close this connection (token expired, identity disabled, taken over, a refused publish). */
  closing(client: Client, reason: string): void {
    if (!this.closeReasons.has(client)) this.closeReasons.set(client, reason);
  }

  disconnected(client: Client): void {
    // aedes sets `_disconnected` only on a valid DISCONNECT packet (lib/handlers/index.js).
    const byClient = (client as unknown as { _disconnected?: boolean })._disconnected === true;
    const reason = this.closeReasons.get(client) ?? (byClient ? 'client-disconnect' : 'connection-lost');
    this.feed.announce({ type: 'disconnected', at: new Date(), transport: transportOf(client), clientId: client.id, reason });
  }

  telemetry(client: Client, init: { deviceId: string; moduleId?: string | undefined; properties: MessageProperties; bodyBytes: number }): void {
    const { system, application } = init.properties;
    const properties = { ...prefixed(system), ...application };
    this.feed.announce({ type: 'telemetry', at: new Date(), transport: transportOf(client), deviceId: init.deviceId, ...(init.moduleId === undefined ? {} : { moduleId: init.moduleId }), properties, bodyBytes: init.bodyBytes });
  }

  packet(client: Client, init: { direction: 'in' | 'out'; kind: string; topic: string; bytes?: number }): void {
    this.feed.announce({
      type: 'packet', at: new Date(), transport: transportOf(client), clientId: client.id, direction: init.direction, kind: init.kind,
      topicOrAddress: init.topic, ...(init.bytes === undefined ? {} : { bytes: init.bytes }),
    });
  }

  desiredDelivered(client: Client, init: { version: number; latencyMs: number }): void {
    this.feed.announce({ type: 'desired-delivered', at: new Date(), transport: transportOf(client), clientId: client.id, ...init });
  }
}

/** MQTT over TLS comes in on a TLSSocket (`encrypted`); over WebSockets, on a stream around the WebSocket. */
function transportOf(client: Client): ActivityTransport {
  return (client.conn as { encrypted?: unknown }).encrypted === true ? 'mqtt' : 'mqtt-ws';
}

function prefixed(system: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(system).map(([name, value]) => [`$.${name}`, value]));
}
