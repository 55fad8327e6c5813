import type { IdentityRef } from '../state/identity.js';
import type { Permission } from '../state/policies.js';

/**
 * What a put-token on `$cbs` granted a connection (claims-based security, iothub-amqp-wire-notes §2):
 * the service endpoints for a policy's permissions, one device's or module's endpoints, or an entity
 * of the Event Hub-compatible endpoint. Each grant lasts until its token expires.
 */
export type Grant =
  | { readonly kind: 'service'; readonly permissions: ReadonlySet<Permission> }
  | { readonly kind: 'identity'; readonly identity: IdentityRef }
  | { readonly kind: 'event-hub'; readonly entity: string };

export interface Claim {
  readonly audience: string;
  readonly grant: Grant;
  /** Epoch seconds, from the token's `se`. */
  readonly expiresAt: number;
}

/**
 * The claims one connection holds. A put-token for an audience the connection already holds replaces
 * the claim (token renewal extends it, wire notes §2.6). Pure: time is passed in.
 */
export class ConnectionClaims {
  private readonly byAudience = new Map<string, Claim>();

  add(claim: Claim): void {
    this.byAudience.set(claim.audience, claim);
  }

  /** The first unexpired claim whose grant satisfies `test`. */
  find(test: (grant: Grant) => boolean, nowSeconds: number): Claim | undefined {
    return [...this.byAudience.values()].find((claim) => claim.expiresAt > nowSeconds && test(claim.grant));
  }

  /** Forgets expired claims and returns them. */
  expire(nowSeconds: number): Claim[] {
    const expired = [...this.byAudience.values()].filter((claim) => claim.expiresAt <= nowSeconds);
    for (const claim of expired) this.byAudience.delete(claim.audience);
    return expired;
  }

  /** Epoch seconds of the earliest expiry; undefined without claims. */
  nextExpiry(): number | undefined {
    const expiries = [...this.byAudience.values()].map((claim) => claim.expiresAt);
    return expiries.length === 0 ? undefined : Math.min(...expiries);
  }
}
