import type { Client } from 'aedes';
import { asHubError, type HubError } from '../errors.js';
import { deviceTwinDocument, parseReportedPatch } from '../state/device-twin-requests.js';
import { clientIdOf, type IdentityRef } from '../state/identity.js';
import type { JsonObject } from '../state/json.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { MqttActivity } from './mqtt-activity.js';
import type { SessionTable } from './sessions.js';
import { DESIRED_NOTIFICATIONS, desiredNotificationTopic, twinResponseTopic } from './topics.js';

/** Replies go to one connection with `client.publish`, never `broker.publish` (wire notes, P5). */
function reply(client: Client, topic: string, body: string, written?: () => void): void {
  // aedes requires the callback. For QoS 0 it calls it once the packet is handed to the socket and never
  // with an error (aedes lib/client.js, deliverQoS0): a failed write goes to the client's error handler,
  // which closes the connection, and that close is handled there.
  client.publish({ cmd: 'publish', topic, payload: Buffer.from(body), qos: 0, dup: false, retain: false }, () => written?.());
}

/** The SDK ignores the status in the topic and fails a request only if the body has `errorCode` (§2.1). */
function replyError(client: Client, requestId: string, error: HubError): void {
  reply(client, twinResponseTopic(error.status, requestId), JSON.stringify({ errorCode: error.numericCode, message: error.message }));
}

export function answerTwinGet(client: Client, identity: IdentityRef, requestId: string, registry: IdentityRegistry): void {
  try {
    reply(client, twinResponseTopic(200, requestId), JSON.stringify(deviceTwinDocument(registry, identity)));
  } catch (error) {
    replyError(client, requestId, asHubError(error));
  }
}

export function answerReportedPatch(client: Client, identity: IdentityRef, requestId: string, payload: Buffer, registry: IdentityRegistry): void {
  try {
    const twin = registry.patchReported(identity, parseReportedPatch(payload));
    reply(client, twinResponseTopic(204, requestId, twin.reported.version), '');
  } catch (error) {
    replyError(client, requestId, asHubError(error));
  }
}

/**
 * Pushes desired-property patches to the one connection of the identity they belong to, if it is
 * connected and subscribed; otherwise the patch is not queued (QoS 0, as on the hub: the device reads
 * the full twin when it comes back).
 */
export class DesiredPatchNotifier {
  constructor(
    private readonly sessions: SessionTable,
    private readonly activity?: MqttActivity,
  ) {}

  /** Called as the registry announces the patch: the latency runs from here to the packet's write. */
  push(identity: IdentityRef, patch: JsonObject, version: number): void {
    const clientId = clientIdOf(identity);
    const client = this.sessions.connection(clientId);
    if (client === undefined || !this.sessions.isSubscribed(clientId, DESIRED_NOTIFICATIONS)) return;
    const updatedAt = performance.now();
    reply(client, desiredNotificationTopic(version), JSON.stringify({ ...patch, $version: version }), () => {
      this.activity?.desiredDelivered(client, { version, latencyMs: performance.now() - updatedAt });
    });
  }
}
