import type { CloudToDeviceMessage } from '../../state/c2d-message.js';
import type { CloudToDeviceQueues } from '../../state/cloud-to-device.js';
import { CreditCycles } from '../credit-cycles.js';
import type { LinkHandler } from '../link-routes.js';
import { dataBody } from '../message-fields.js';
import type { Delivery, EventContext, Message, Sender } from '../rhea.js';

type Settlement = 'complete' | 'reject' | 'abandon';

/**
 * Cloud-to-device messages to a device's receiver on `/devices/{d}/messages/devicebound` (wire notes
 * §4.4; C2D doc, "message life cycle"): as many as the device grants credit for, each locked while
 * it is in flight. The device's disposition settles it: accepted completes, rejected dead-letters,
 * released or modified abandons (back in the queue, delivery count up). A delivery left unsettled
 * when the link goes is unlocked at once, so the device's next link gets it again.
 */
export class DeviceCloudToDeviceSender implements LinkHandler {
  private readonly inFlight = new Map<Delivery, string>();
  private readonly stopListening: () => void;
  private readonly cycles: CreditCycles;

  constructor(
    private readonly link: Sender,
    private readonly target: { readonly deviceId: string; readonly queues: CloudToDeviceQueues },
  ) {
    this.stopListening = target.queues.changes.subscribe((change) => {
      if ((change.type === 'c2d-enqueued' || change.type === 'c2d-available') && change.deviceId === target.deviceId) this.onSendable();
      if (change.type === 'c2d-cleared') this.inFlight.clear();
    });
    link.on('accepted', (context: EventContext) => this.settled(context, 'complete'));
    link.on('rejected', (context: EventContext) => this.settled(context, 'reject'));
    link.on('released', (context: EventContext) => this.settled(context, 'abandon'));
    link.on('modified', (context: EventContext) => this.settled(context, 'abandon'));
    this.cycles = new CreditCycles(link, (budget) => this.fill(budget));
  }

  onSendable(): void {
    this.cycles.run();
  }

  onClose(): void {
    this.cycles.stop();
    this.stopListening();
    for (const lockToken of this.inFlight.values()) {
      if (this.target.queues.isLocked(this.target.deviceId, lockToken)) this.target.queues.unlock(this.target.deviceId, lockToken);
    }
    this.inFlight.clear();
  }

  private fill(budget: number): number {
    let sent = 0;
    while (sent < budget) {
      const locked = this.target.queues.lockNext(this.target.deviceId);
      if (locked === undefined) break;
      this.inFlight.set(this.link.send(deviceMessage(locked.message, locked.deliveryCount)), locked.lockToken);
      sent += 1;
    }
    return sent;
  }

  private settled(context: EventContext, settlement: Settlement): void {
    const lockToken = context.delivery === undefined ? undefined : this.inFlight.get(context.delivery);
    if (context.delivery === undefined || lockToken === undefined) return;
    this.inFlight.delete(context.delivery);
    const { deviceId, queues } = this.target;
    // A lock that timed out meanwhile has lost the message to a later delivery: the hub ignores the
    // late disposition (the SDK reports nothing either, wire notes §4.4).
    if (queues.isLocked(deviceId, lockToken)) queues[settlement](deviceId, lockToken);
  }
}

/** The message as the device SDK reads it (wire notes §4.4): one data section, `iothub-ack` among the properties. */
function deviceMessage(message: CloudToDeviceMessage, deliveryCount: number): Message {
  return {
    body: dataBody(message.body),
    to: `/devices/${encodeURIComponent(message.deviceId)}/messages/devicebound`,
    ...(message.messageId === undefined ? {} : { message_id: message.messageId }),
    ...(message.correlationId === undefined ? {} : { correlation_id: message.correlationId }),
    ...(message.userId === undefined ? {} : { user_id: Buffer.from(message.userId, 'utf8') }),
    ...(message.contentType === undefined ? {} : { content_type: message.contentType }),
    ...(message.contentEncoding === undefined ? {} : { content_encoding: message.contentEncoding }),
    absolute_expiry_time: new Date(message.expiresAt),
    application_properties: { ...message.applicationProperties, 'iothub-ack': message.ack },
    message_annotations: { 'iothub-enqueuedtime': new Date(message.enqueuedTime), 'iothub-deliverycount': deliveryCount },
  } as Message;
}
