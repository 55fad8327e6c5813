import type { ControlIdentity, EmulatorControlClient } from '../control/emulator-control-client.js';

/** The SDK's `tokenRenewal` option: tokens valid this long, renewed this many seconds before they expire. */
export interface TokenLifetime {
  readonly tokenValidTimeInSeconds: number;
  readonly tokenRenewalMarginInSeconds: number;
}

/** A client connected with SDK-made tokens: when it started connecting, and how many connections the hub had counted for it once it was open. */
export interface RenewalWatch {
  readonly identity: ControlIdentity;
  readonly lifetime: TokenLifetime;
  /** Date.now() before the client was made: its first token was signed after this. */
  readonly since: number;
  readonly connectionCount: number;
}

/**
 * Emulator only: waits for the SDK's token renewal as the hub sees it (a new connection), and tells
 * it apart from a reconnect after expiry by when it comes. The SDK signs its first token after
 * `since`, valid for whole seconds (`se` = floor(now) + valid), and renews it `margin` seconds before
 * that by connecting again (wire notes §1.2); the hub closes a connection whose token has expired, and
 * the SDK then reconnects without telling the app. So a new connection before the renewal time means
 * the hub closed a connection whose token was still valid, and none before the first token's expiry
 * means the SDK did not renew: either way, not a renewal.
 */
export async function awaitTokenRenewal(control: EmulatorControlClient, watch: RenewalWatch): Promise<void> {
  const { tokenValidTimeInSeconds: valid, tokenRenewalMarginInSeconds: margin } = watch.lifetime;
  const renewsAt = watch.since + (valid - margin) * 1000;
  const firstTokenExpiresAfter = watch.since + (valid - 1) * 1000;
  const wait = { minConnectionCount: watch.connectionCount + 1, timeoutMs: Math.max(1, firstTokenExpiresAfter - Date.now()) };
  try {
    await control.waitForConnection(watch.identity, wait);
  } catch (error) {
    const seen = error instanceof Error ? error.message : String(error);
    throw new Error(`The client did not connect again before its first ${valid}-second token expired, so it did not renew it (${seen})`);
  }
  const seenAt = Date.now();
  if (seenAt < renewsAt) {
    throw new Error(
      `The client connected again ${seenAt - watch.since} ms after it started, before the SDK renews its token (${renewsAt - watch.since} ms): ` +
        'the hub closed a connection whose token was still valid, and the SDK reconnected.',
    );
  }
}
