import type { Sender } from './rhea.js';

/** The link credit rhea holds for a sender (link.js `credit`, kept from the client's flow frames). */
function creditOf(link: Sender): number {
  const { credit } = link as unknown as { readonly credit?: unknown };
  return typeof credit === 'number' ? credit : 0;
}

/**
 * Sends on a link in cycles that never exceed the client's credit. rhea takes a credit off only
 * when it writes a transfer, on its next tick (session.js Outgoing.process), so `sendable()` stays
 * true for deliveries it has merely queued: a cycle sends at most the credit it starts with, and the
 * next cycle starts after rhea has written them. Queuing beyond the credit would also hold up every
 * other link of the session (a `$cbs` reply, say) behind the queued transfers. The first cycle
 * waits a tick too: rhea writes a session's transfers before its links' attach frames in one pass
 * (session.js _process), and a transfer must not precede the attach on the wire (AMQP 1.0 §2.6.1).
 */
export class CreditCycles {
  private ready = false;
  private stopped = false;
  private scheduled = false;

  /** `fill(budget)` sends at most `budget` transfers and returns how many it sent. */
  constructor(
    private readonly link: Sender,
    private readonly fill: (budget: number) => number,
  ) {
    setImmediate(() => {
      this.ready = true;
      this.run();
    });
  }

  /** Call when credit or something to send may have arrived. */
  run(): void {
    if (!this.ready || this.stopped || this.scheduled) return;
    const sent = this.fill(creditOf(this.link));
    if (sent === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  stop(): void {
    this.stopped = true;
  }
}
