import { isJsonObject } from '../state/json.js';
import { BadControlRequest, parseJsonBody, type Answer, type ControlRequest, type RouteEntry } from './http-route.js';
import type { EmulatorControl } from './control-plane.js';

/**
 * The hub's trusted CA certificates over the control plane (docs/standalone-emulator.md, "X.509"):
 * `POST /_emulator/certificate-authorities` with `{"certificate": "<PEM>"}` trusts it (201 with
 * what was added: subject, thumbprints, validity; never a key); `GET` lists them. Not PEM, or not
 * a CA certificate: 400 ArgumentInvalid, nothing added.
 */
export const CERTIFICATE_AUTHORITY_ROUTES: readonly RouteEntry[] = [
  { method: 'GET', pattern: /^\/_emulator\/certificate-authorities$/, route: (control) => ({ status: 200, body: { certificateAuthorities: control.certificateAuthorities() } }) },
  { method: 'POST', pattern: /^\/_emulator\/certificate-authorities$/, route: addCertificateAuthority },
];

function addCertificateAuthority(control: EmulatorControl, _match: RegExpExecArray, request: ControlRequest): Answer {
  const body = parseJsonBody(request.body);
  if (!isJsonObject(body) || typeof body.certificate !== 'string') {
    throw new BadControlRequest('The body must be {"certificate": "<PEM text of a CA certificate>"}.');
  }
  return { status: 201, body: { added: control.addCertificateAuthority(body.certificate) } };
}
