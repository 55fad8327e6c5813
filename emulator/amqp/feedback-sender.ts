import { randomUUID } from 'node:crypto';
import { addsFeedback } from '../state/c2d-changes.js';
import type { FeedbackRecord } from '../state/c2d-message.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import { CreditCycles } from './credit-cycles.js';
import type { LinkHandler } from './link-routes.js';
import { dataBody } from './message-fields.js';
import type { Delivery, EventContext, Sender } from './rhea.js';

/** The feedback message's content type (C2D doc, "Message feedback"). */
export const FEEDBACK_CONTENT_TYPE = 'application/vnd.microsoft.iothub.feedback.json';

/**
 * Sends the hub's feedback queue to one `/messages/serviceBound/feedback` receiver, up to 64 records
 * per message, as credit allows. A batch is the receiver's once it accepts it (completing a feedback
 * message removes it); one released, or unsettled when the link goes, goes back to the queue.
 * The hub waits up to 15 s to fill a batch; the emulator sends what is there at once (FIDELITY.md).
 */
export class FeedbackSender implements LinkHandler {
  private readonly inFlight = new Map<Delivery, FeedbackRecord[]>();
  private readonly stopListening: () => void;
  private readonly cycles: CreditCycles;

  constructor(
    private readonly link: Sender,
    private readonly options: { readonly hubName: string; readonly queues: CloudToDeviceQueues },
  ) {
    this.stopListening = options.queues.changes.subscribe((change) => {
      if (addsFeedback(change)) this.onSendable();
    });
    link.on('accepted', (context: EventContext) => this.settled(context, false));
    link.on('rejected', (context: EventContext) => this.settled(context, false));
    link.on('released', (context: EventContext) => this.settled(context, true));
    link.on('modified', (context: EventContext) => this.settled(context, true));
    this.cycles = new CreditCycles(link, (budget) => this.fill(budget));
  }

  onSendable(): void {
    this.cycles.run();
  }

  /** Sends up to `budget` feedback messages; returns how many it sent. */
  private fill(budget: number): number {
    let sent = 0;
    while (sent < budget && this.options.queues.feedbackCount > 0) {
      const records = this.options.queues.takeFeedback();
      const delivery = this.link.send({
        message_id: randomUUID(),
        content_type: FEEDBACK_CONTENT_TYPE,
        // The hub name (C2D doc, feedback message properties); rhea's typings call user-id a string.
        user_id: this.options.hubName,
        body: dataBody(Buffer.from(JSON.stringify(records), 'utf8')),
      });
      this.inFlight.set(delivery, records);
      sent += 1;
    }
    return sent;
  }

  onClose(): void {
    this.cycles.stop();
    this.stopListening();
    for (const records of this.inFlight.values()) this.options.queues.returnFeedback(records);
    this.inFlight.clear();
  }

  private settled(context: EventContext, giveBack: boolean): void {
    const delivery = context.delivery;
    const records = delivery === undefined ? undefined : this.inFlight.get(delivery);
    if (delivery === undefined || records === undefined) return;
    this.inFlight.delete(delivery);
    if (giveBack) this.options.queues.returnFeedback(records);
  }
}
