import { EventEmitter } from 'node:events';
import type { MethodInvocation, MethodOutcome } from '../../methods/method-invoker.js';
import type { TransportMethodChannel } from '../../methods/invoker-across-transports.js';
import { PendingMethodCalls } from '../../methods/pending-calls.js';
import { clientIdOf, type IdentityRef } from '../../state/identity.js';
import type { LinkHandler } from '../link-routes.js';
import { bodyBytes, dataBody, idString } from '../message-fields.js';
import type { Connection, EventContext, Sender } from '../rhea.js';

const METHOD_NAME = 'IoThub-methodname';
const STATUS = 'IoThub-status';

/**
 * Direct methods over AMQP (wire notes §4.6): the request goes to the identity's receiver on
 * `{p}/methods/devicebound` with the method name as an application property and a string
 * correlation id; the answer comes back on the identity's sender at the same address, with its
 * status in `IoThub-status`, and is accepted (the SDK waits for that). Only the connection the
 * request went to can answer it.
 */
export class AmqpMethodChannel implements TransportMethodChannel {
  private readonly pending = new PendingMethodCalls();
  private readonly requestLinks = new Map<string, Sender>();
  private readonly connectionKeys = new WeakMap<Connection, number>();
  private nextConnectionKey = 1;
  private readonly changes = new EventEmitter();

  isListening(identity: IdentityRef): boolean {
    return this.requestLinks.has(clientIdOf(identity));
  }

  onListeningChange(listener: () => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  async invoke(identity: IdentityRef, invocation: MethodInvocation): Promise<MethodOutcome> {
    const link = this.requestLinks.get(clientIdOf(identity));
    if (link === undefined) return { kind: 'not-online' };
    return new Promise<MethodOutcome>((resolve) => {
      const requestId = this.pending.start(this.callerKey(identity, link.connection), (result) => {
        clearTimeout(timer);
        resolve({ kind: 'answered', ...result });
      });
      const timer = setTimeout(() => {
        if (this.pending.cancel(requestId)) resolve({ kind: 'timed-out' });
      }, invocation.responseTimeoutInSeconds * 1000);
      link.send({ correlation_id: requestId, application_properties: { [METHOD_NAME]: invocation.methodName }, body: dataBody(Buffer.from(invocation.payload, 'utf8')) });
    });
  }

  /** The device's receiver: method requests go there until it closes. */
  requestLink(identity: IdentityRef, link: Sender): LinkHandler {
    const clientId = clientIdOf(identity);
    this.requestLinks.set(clientId, link);
    this.changes.emit('change');
    return {
      onClose: () => {
        if (this.requestLinks.get(clientId) === link) this.requestLinks.delete(clientId);
        this.changes.emit('change');
      },
    };
  }

  /** The device's sender: each transfer answers one call, and is accepted whether a call waits for it or not. */
  responseLink(identity: IdentityRef, connection: Connection): LinkHandler {
    return {
      onMessage: (context: EventContext) => {
        const { delivery, message } = context;
        delivery?.accept();
        const requestId = idString(message?.correlation_id);
        const status: unknown = message?.application_properties?.[STATUS];
        if (message === undefined || requestId === undefined || typeof status !== 'number') return;
        // A response nobody waits for (late, or another connection's) is dropped, as over MQTT.
        this.pending.respond(this.callerKey(identity, connection), requestId, { status, payload: bodyBytes(message.body) ?? Buffer.alloc(0) });
      },
    };
  }

  private callerKey(identity: IdentityRef, connection: Connection): string {
    let key = this.connectionKeys.get(connection);
    if (key === undefined) {
      key = this.nextConnectionKey++;
      this.connectionKeys.set(connection, key);
    }
    return `${clientIdOf(identity)}@${key}`;
  }
}
