import type { PresentedCertificate } from '../state/presented-certificate.js';

/**
 * The client certificate each MQTT connection presented in its TLS handshake, by the stream the
 * listener handed to aedes (aedes' `client.conn`): the listeners record it (servers/), the CONNECT
 * check reads it (broker.ts). Held weakly, so a closed connection's entry goes with its stream.
 */
export class ConnectionCertificates {
  private readonly byConnection = new WeakMap<object, PresentedCertificate | undefined>();

  /** `undefined`: the client presented no certificate (a SAS client). */
  record(connection: object, certificate: PresentedCertificate | undefined): void {
    this.byConnection.set(connection, certificate);
  }

  of(connection: object): PresentedCertificate | undefined {
    return this.byConnection.get(connection);
  }
}
