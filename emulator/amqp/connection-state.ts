import { ConnectionClaims } from './claims.js';
import type { LinkHandler, LinkRoute } from './link-routes.js';
import type { Receiver, Sender } from './rhea.js';
import { unauthorizedAccess } from './amqp-errors.js';

/** setTimeout's largest delay; a later expiry is reached in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface OpenLink {
  readonly route: LinkRoute;
  readonly handler: LinkHandler;
}

/**
 * One AMQP connection: the claims its put-tokens earned, the `$cbs` link replies go on, and the
 * links it has open with their handlers. When a claim expires without renewal, the links that
 * depended on it are closed with amqp:unauthorized-access, as the hub closes a connection whose
 * token ran out (wire notes §2.6; "IoT Hub notices the expiration", 401003 troubleshooting).
 */
export class AmqpConnectionState {
  readonly claims = new ConnectionClaims();
  cbsReplies: Sender | undefined;
  private readonly links = new Map<Sender | Receiver, OpenLink>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly nowMs: () => number) {}

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  opened(link: Sender | Receiver, route: LinkRoute, handler: LinkHandler): void {
    this.links.set(link, { route, handler });
  }

  handlerOf(link: Sender | Receiver | undefined): LinkHandler | undefined {
    return link === undefined ? undefined : this.links.get(link)?.handler;
  }

  closed(link: Sender | Receiver, reason?: string): void {
    const open = this.links.get(link);
    this.links.delete(link);
    open?.handler.onClose?.(reason);
  }

  /** The connection went away: every handler is told, and no timer is left behind. */
  ended(): void {
    clearTimeout(this.timer);
    for (const link of [...this.links.keys()]) this.closed(link, 'connection-closed');
  }

  /** Re-arms the expiry timer after a claim was added or renewed. */
  watchExpiries(): void {
    clearTimeout(this.timer);
    const next = this.claims.nextExpiry();
    if (next === undefined) return;
    const delay = Math.max(0, next * 1000 - this.nowMs());
    this.timer = setTimeout(() => this.expire(), Math.min(delay, MAX_TIMER_MS));
    // The watch must never keep a process alive on its own.
    this.timer.unref();
  }

  private expire(): void {
    const now = this.nowSeconds();
    this.claims.expire(now);
    for (const [link, open] of [...this.links]) {
      if (this.claims.find(open.route.needs, now) !== undefined) continue;
      this.closed(link, 'token-expired');
      link.close(unauthorizedAccess(`The token that authorized ${open.route.describe} has expired.`));
    }
    this.watchExpiries();
  }
}
