import type { Client } from 'aedes';
import type { Clock } from '../state/clock.js';

/** setTimeout's largest delay; a later expiry is reached in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes an MQTT connection when the SAS token it connected with expires, as the hub does: "IoT Hub
 * notices the expiration, and disconnects the device", and SDKs that do not renew ahead of time rely on
 * that to know when to reconnect with a new token (learn.microsoft.com/azure/iot-hub/
 * iot-hub-troubleshoot-error-401003-iothubunauthorized, Cause 1). The session stays, as after any
 * disconnect. Time is read from the emulator's clock.
 */
export class TokenExpiryWatch {
  private readonly expiries = new WeakMap<Client, number>();
  private readonly timers = new Map<Client, NodeJS.Timeout>();

  /** `expiring` is told before the watch closes a connection (the activity feed's reason). */
  constructor(
    private readonly clock: Clock,
    private readonly expiring: (client: Client) => void = () => undefined,
  ) {}

  /** Remembers the expiry (epoch seconds) of the token a client authenticated with. */
  authenticated(client: Client, tokenExpirySeconds: number): void {
    this.expiries.set(client, tokenExpirySeconds);
  }

  connected(client: Client): void {
    const expiry = this.expiries.get(client);
    if (expiry !== undefined) this.arm(client, expiry * 1000);
  }

  disconnected(client: Client): void {
    clearTimeout(this.timers.get(client));
    this.timers.delete(client);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(client: Client, expiresAtMs: number): void {
    const remaining = expiresAtMs - this.clock.now().getTime();
    // Written so that an expiry that is not a number closes the connection rather than re-arming every millisecond.
    if (!(remaining > 0)) {
      this.timers.delete(client);
      this.expiring(client);
      client.close();
      return;
    }
    const timer = setTimeout(() => this.arm(client, expiresAtMs), Math.min(remaining, MAX_TIMER_MS));
    // The watch must never keep a process alive on its own.
    timer.unref();
    this.timers.set(client, timer);
  }
}
