import { Aedes, type AedesOptions, type Client } from 'aedes';
import { asDpsError, dpsErrors } from '../state/dps/dps-errors.js';
import type { RegistrationDesk } from '../state/dps/registration-desk.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { operationBody } from './device-api.js';
import { dpsErrorResponse, parseJsonBody } from './dps-http.js';
import { parseConnectUsername, parseRequestTopic, responseTopic, RESPONSE_FILTER, type DpsConnectIdentity, type DpsMqttRequest } from './mqtt-topics.js';

/** As the hub's listener (mqtt/connect-rules.ts): the SDK sends CONNECT as soon as TLS is up. */
const CONNECT_DEADLINE_MS = 10_000;
/** MQTT 3.1.1 CONNACK return code 5, "not authorized". */
const NOT_AUTHORIZED = 5;

export interface ProvisioningBrokerOptions {
  readonly desk: RegistrationDesk;
  readonly retryAfterSeconds: number;
  /** The largest register payload taken, as over HTTPS (the listener's request body limit). */
  readonly maxPayloadBytes: number;
  readonly now: () => Date;
  /** The TLS client certificate each connection presented, by aedes' `client.conn` (the listener records it). */
  readonly certificates: { of(connection: object): PresentedCertificate | undefined };
}

interface DpsConnection extends DpsConnectIdentity {
  /** The SAS token the device put in CONNECT's password; checked at each request, as DPS does (wire notes §0.2). */
  readonly token: string | undefined;
  /** An X.509 device's credential: sent in the TLS handshake, with no password (wire notes §2.1, §5.1). */
  readonly certificate: PresentedCertificate | undefined;
}

/**
 * DPS's device registration over MQTT, on its own aedes instance and listener: DPS is another
 * service (its own host and port), its clients are registration ids rather than hub identities, and
 * it authenticates each request rather than CONNECT, so it shares none of the hub broker's hooks.
 * CONNECT is refused only for a username that is not a DPS one; a bad token is answered 401 on the
 * response topic (wire notes §0.2: real DPS does so, and the SDK then raises UnauthorizedError).
 */
export async function createProvisioningBroker(options: ProvisioningBrokerOptions): Promise<{ aedes: Aedes; close(): Promise<void> }> {
  const connections = new WeakMap<Client, DpsConnection>();
  const aedes = await Aedes.createBroker({
    connectTimeout: CONNECT_DEADLINE_MS,
    authenticate: (client, username, password, done) => {
      const identity = parseConnectUsername(username, client.id);
      if (identity === undefined) {
        done(Object.assign(new Error('Not a DPS registration username'), { returnCode: NOT_AUTHORIZED }), false);
        return;
      }
      connections.set(client, { ...identity, token: password?.toString('utf8'), certificate: options.certificates.of(client.conn) });
      done(null, true);
    },
    // Only the response filter, granted at QoS 1 (the docs: DPS downgrades QoS 2 to 1).
    authorizeSubscribe: (_client, subscription, done) => done(null, subscription.topic === RESPONSE_FILTER ? { ...subscription, qos: Math.min(subscription.qos, 1) as 0 | 1 } : null),
    authorizePublish(client, packet, done) {
      const connection = client === null ? undefined : connections.get(client);
      const request = parseRequestTopic(packet.topic);
      if (client === null || connection === undefined || request === undefined) {
        done(new Error('Only DPS registration requests may be published here.'));
        return;
      }
      answer(client, { connection, request, packet, options });
      done(null);
    },
  } satisfies AedesOptions);
  return { aedes, close: () => new Promise<void>((resolve) => aedes.close(() => resolve())) };
}

/** Replies go to the requesting connection only: every DPS client subscribes to the same filter (wire notes §2.2). */
function answer(client: Client, exchange: { connection: DpsConnection; request: DpsMqttRequest; packet: { readonly payload: Buffer | string }; options: ProvisioningBrokerOptions }): void {
  const { connection, request, packet, options } = exchange;
  const device = { idScope: connection.idScope, registrationId: connection.registrationId, authorization: connection.token, certificate: connection.certificate };
  let topic: string;
  let body: object;
  try {
    const view = request.kind === 'register'
      ? options.desk.register({ ...device, body: registerBody(packet.payload, options.maxPayloadBytes) })
      : options.desk.operationStatus({ ...device, operationId: request.operationId });
    const assigning = view.status === 'assigning';
    topic = responseTopic(assigning ? 202 : 200, request.requestId, assigning ? options.retryAfterSeconds : undefined);
    body = operationBody(view);
  } catch (error) {
    const refusal = asDpsError(error);
    topic = responseTopic(refusal.status, request.requestId);
    body = JSON.parse(dpsErrorResponse(refusal, options.now()).body ?? '{}') as object;
  }
  // aedes requires the callback; a failed write means the connection is going away.
  client.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(body)), qos: 0, dup: false, retain: false }, () => undefined);
}

function registerBody(payload: Buffer | string, maxBytes: number): unknown {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (bytes > maxBytes) throw dpsErrors.tooLarge(maxBytes);
  return parseJsonBody(payload.toString());
}
