/**
 * The hub's TLS certificate and key, as kept with its other material (policies) so that a restarted
 * emulator serves the certificate its clients already trust. Made by servers/certificate.ts.
 */
export interface TlsMaterial {
  /** PEM certificate; self-signed with CA:TRUE so it is also the trust anchor clients are given. */
  readonly cert: string;
  readonly key: string;
}
