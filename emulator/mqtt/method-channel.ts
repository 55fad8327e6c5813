import type { Client } from 'aedes';
import { PendingMethodCalls } from '../methods/pending-calls.js';
import type { MethodInvocation, MethodOutcome } from '../methods/method-invoker.js';
import type { TransportMethodChannel } from '../methods/invoker-across-transports.js';
import { clientIdOf, type IdentityRef } from '../state/identity.js';
import type { SessionTable } from './sessions.js';
import { METHOD_REQUESTS, methodRequestTopic } from './topics.js';

/**
 * Direct methods over MQTT ("Understand and invoke direct methods from IoT Hub"): the request goes to
 * the target's one connection on `$iothub/methods/POST/<name>/?$rid=<rid>`, and the call waits for
 * `$iothub/methods/res/<status>/?$rid=<rid>` from that same connection, or for the response timeout.
 */
export class MqttMethodChannel implements TransportMethodChannel {
  private readonly pending = new PendingMethodCalls();

  constructor(private readonly sessions: SessionTable) {}

  isListening(identity: IdentityRef): boolean {
    return this.listeningClient(identity) !== undefined;
  }

  onListeningChange(listener: () => void): () => void {
    this.sessions.changes.on('change', listener);
    return () => this.sessions.changes.off('change', listener);
  }

  /**
   * The call goes to the target's one connection if it listens now; waiting for a target to come
   * online (connectTimeoutInSeconds) is the caller's, across transports (invoker-across-transports.ts).
   */
  invoke(identity: IdentityRef, invocation: MethodInvocation): Promise<MethodOutcome> {
    const client = this.listeningClient(identity);
    if (client === undefined) return Promise.resolve({ kind: 'not-online' });
    return this.call(client, invocation);
  }

  /** The target's one connection, if it is subscribed to method requests. */
  private listeningClient(identity: IdentityRef): Client | undefined {
    const clientId = clientIdOf(identity);
    return this.sessions.isSubscribed(clientId, METHOD_REQUESTS) ? this.sessions.connection(clientId) : undefined;
  }

  private call(client: Client, invocation: MethodInvocation): Promise<MethodOutcome> {
    const clientId = client.id;
    return new Promise<MethodOutcome>((resolve) => {
      const requestId = this.pending.start(clientId, (result) => {
        clearTimeout(timer);
        resolve({ kind: 'answered', ...result });
      });
      // An answer clears this timer, so when it fires the call is still waiting.
      const timer = setTimeout(() => {
        this.pending.cancel(requestId);
        resolve({ kind: 'timed-out' });
      }, invocation.responseTimeoutInSeconds * 1000);
      send(client, methodRequestTopic(invocation.methodName, requestId), invocation.payload);
    });
  }

  /** A device's response; false when no call from this client is waiting under that id. */
  responded(clientId: string, requestId: string, status: number, payload: Buffer): boolean {
    return this.pending.respond(clientId, requestId, { status, payload });
  }
}

function send(client: Client, topic: string, body: string): void {
  // A failed write means the connection is going away; the call then ends on its response timeout.
  client.publish({ cmd: 'publish', topic, payload: Buffer.from(body), qos: 0, dup: false, retain: false }, () => undefined);
}
