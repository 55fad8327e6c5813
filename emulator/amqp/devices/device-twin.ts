import { asHubError, hubErrors, type HubError } from '../../errors.js';
import type { ActivityFeed } from '../../state/activity.js';
import { transportOfConnection } from '../amqp-activity.js';
import { deviceTwinDocument, parseReportedPatch } from '../../state/device-twin-requests.js';
import { clientIdOf, type IdentityRef } from '../../state/identity.js';
import type { JsonObject } from '../../state/json.js';
import type { IdentityRegistry } from '../../state/registry.js';
import type { LinkHandler } from '../link-routes.js';
import { bodyBytes, dataBody } from '../message-fields.js';
import type { Connection, EventContext, Message, Sender } from '../rhea.js';
import { sameIdentity } from './device-addresses.js';

const REPORTED = '/properties/reported';
const DESIRED_NOTIFICATIONS = '/notifications/twin/properties/desired';

interface Reply {
  readonly status: number;
  readonly body?: JsonObject;
  readonly version?: number;
}

/**
 * One identity's twin over AMQP on one connection (wire notes §4.5): requests arrive on the link the
 * device sends on, and every answer and desired-property notification leaves on the link it receives
 * on, both at `{p}/twin` (paired by address and connection, not by channel-correlation-id, §4.2).
 * Every request is answered, errors included: the SDK has no timeout and would hang (pitfall 7).
 */
class TwinChannel {
  replies: Sender | undefined;
  desiredSubscribed = false;
  private readonly waiting: Message[] = [];

  constructor(
    readonly identity: IdentityRef,
    readonly connection: Connection,
  ) {}

  request(message: Message, registry: IdentityRegistry): void {
    const annotations = message.message_annotations ?? {};
    const reply = this.answer({ operation: annotations.operation, resource: annotations.resource, body: bodyBytes(message.body) }, registry);
    this.send({
      // Echoed as it came: the SDK looks the string up as a key (§4.5).
      correlation_id: message.correlation_id,
      message_annotations: { status: reply.status, ...(reply.version === undefined ? {} : { version: reply.version }) },
      ...(reply.body === undefined ? {} : { body: dataBody(Buffer.from(JSON.stringify(reply.body), 'utf8')) }),
    } as Message);
  }

  /** `updatedAt`: when the registry announced the patch (performance.now()), for the delivery's latency. */
  notify(patch: JsonObject, version: number, delivered: { updatedAt: number; activity: ActivityFeed | undefined }): void {
    if (!this.desiredSubscribed || this.replies === undefined) return;
    // No correlation id: that is how the SDK tells a notification from a response (§4.5).
    this.replies.send({ body: dataBody(Buffer.from(JSON.stringify({ ...patch, $version: version }), 'utf8')), message_annotations: { version } });
    delivered.activity?.announce({
      type: 'desired-delivered', at: new Date(), transport: transportOfConnection(this.connection), clientId: clientIdOf(this.identity), version,
      latencyMs: performance.now() - delivered.updatedAt,
    });
  }

  repliesAttached(link: Sender): void {
    this.replies = link;
    for (const message of this.waiting.splice(0)) link.send(message);
  }

  private send(message: Message): void {
    if (this.replies === undefined) this.waiting.push(message);
    else this.replies.send(message);
  }

  private answer(request: { operation: unknown; resource: unknown; body: Buffer | undefined }, registry: IdentityRegistry): Reply {
    try {
      switch (request.operation) {
        case 'GET':
          return { status: 200, body: deviceTwinDocument(registry, this.identity) };
        case 'PATCH':
          return this.patchReported(request, registry);
        case 'PUT':
        case 'DELETE':
          return this.subscription(request.operation, request.resource);
        default:
          throw hubErrors.argumentInvalid(`Unsupported twin operation ${JSON.stringify(request.operation ?? null)}.`);
      }
    } catch (error) {
      return errorReply(asHubError(error));
    }
  }

  private patchReported(request: { resource: unknown; body: Buffer | undefined }, registry: IdentityRegistry): Reply {
    if (request.resource !== REPORTED) throw hubErrors.argumentInvalid(`PATCH applies to ${REPORTED}, not ${JSON.stringify(request.resource ?? null)}.`);
    const twin = registry.patchReported(this.identity, parseReportedPatch(request.body ?? Buffer.alloc(0)));
    return { status: 204, version: twin.reported.version };
  }

  private subscription(operation: 'PUT' | 'DELETE', resource: unknown): Reply {
    if (resource !== DESIRED_NOTIFICATIONS) throw hubErrors.argumentInvalid(`${operation} applies to ${DESIRED_NOTIFICATIONS}, not ${JSON.stringify(resource ?? null)}.`);
    this.desiredSubscribed = operation === 'PUT';
    return { status: 200 };
  }
}

function errorReply(error: HubError): Reply {
  return { status: error.status, body: { errorCode: error.numericCode, message: error.message } };
}

/** Every twin channel open on the AMQP endpoint, and the pushes of desired patches to them. */
export class DeviceTwinChannels {
  private readonly channels = new Set<TwinChannel>();

  /** `subscriptionChanged` is told when an identity starts or stops listening for desired patches. */
  constructor(
    private readonly registry: IdentityRegistry,
    private readonly subscriptionChanged: () => void,
    private readonly activity?: ActivityFeed,
  ) {}

  listensForDesired(identity: IdentityRef): boolean {
    return [...this.channels].some((channel) => channel.desiredSubscribed && sameIdentity(channel.identity, identity));
  }

  requestLink(identity: IdentityRef, connection: Connection): LinkHandler {
    const channel = this.channelFor(identity, connection);
    return {
      onMessage: (context: EventContext) => {
        if (context.message === undefined) return;
        channel.request(context.message, this.registry);
        this.subscriptionChanged();
      },
      onClose: () => this.channels.delete(channel),
    };
  }

  replyLink(identity: IdentityRef, link: Sender): LinkHandler {
    const channel = this.channelFor(identity, link.connection);
    channel.repliesAttached(link);
    return { onClose: () => this.channels.delete(channel) };
  }

  desiredPatched(identity: IdentityRef, patch: JsonObject, version: number): void {
    const updatedAt = performance.now();
    for (const channel of this.channels) if (sameIdentity(channel.identity, identity)) channel.notify(patch, version, { updatedAt, activity: this.activity });
  }

  private channelFor(identity: IdentityRef, connection: Connection): TwinChannel {
    for (const channel of this.channels) if (channel.connection === connection && sameIdentity(channel.identity, identity)) return channel;
    const channel = new TwinChannel(identity, connection);
    this.channels.add(channel);
    return channel;
  }
}
