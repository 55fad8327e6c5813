import type { PresentedCertificate } from '../state/presented-certificate.js';
import type { Grant } from './claims.js';
import type { EventContext, Receiver, Sender } from './rhea.js';

/** The emulator's role on a link: it `receives` what a client sender sends, and `sends` to a client receiver. */
export type ServerRole = 'receives' | 'sends';

/** What the emulator does on one attached link; every method is optional. */
export interface LinkHandler {
  /** A transfer arrived on a link the emulator receives on. */
  onMessage?(context: EventContext): void;
  /** The client granted credit on a link the emulator sends on. */
  onSendable?(): void;
  /** The link, its session or its connection went away; `reason` when the emulator knows why (`token-expired`, `connection-closed`). */
  onClose?(reason?: string): void;
}

/** Where an address leads: the grant a link there needs, and how to serve it once attached. */
export interface LinkRoute {
  /** For error messages: what the link is, in the hub's words. */
  readonly describe: string;
  readonly needs: (grant: Grant) => boolean;
  /**
   * For routes an X.509 identity may use: the check of the TLS client certificate the connection
   * presented, instead of a claim (X.509 clients put no token on $cbs, wire notes §8); a reason when refused.
   */
  readonly certificateRefusal?: (certificate: PresentedCertificate) => string | undefined;
  /** `authentication`: how the connection earned the link (a $cbs claim, or its client certificate). */
  readonly open: (link: Sender | Receiver, authentication?: 'sas' | 'x509') => LinkHandler;
}

/** A family of addresses (service messaging, devices, the Event Hub-compatible endpoint...). */
export interface LinkService {
  /** The route for this address and role, or undefined when the address is not this service's. */
  route(address: string, role: ServerRole): LinkRoute | undefined;
}

/** A service-side grant with this permission (ServiceConnect for the hub's service endpoints). */
export function servicePermission(permission: 'ServiceConnect' | 'RegistryRead' | 'RegistryWrite'): (grant: Grant) => boolean {
  return (grant) => grant.kind === 'service' && grant.permissions.has(permission);
}
