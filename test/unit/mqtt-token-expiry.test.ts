import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Client } from 'aedes';
import { TokenExpiryWatch } from '../../emulator/mqtt/token-expiry.js';
import { ManualClock } from '../../emulator/state/clock.js';

/**
 * The watch that closes an MQTT connection when its SAS token expires (mqtt/token-expiry.ts), with a
 * stand-in for the aedes connection (only `close` is used) and the emulator's clock.
 */
function stubConnection(): { client: Client; closes: () => number } {
  let closed = 0;
  const client = { id: 'd1', close: () => (closed += 1) } as unknown as Client;
  return { client, closes: () => closed };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

void it('closes a connection whose token has already expired as it connects, saying why first', () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const told: string[] = [];
  const watch = new TokenExpiryWatch(clock, (client) => told.push(client.id));
  const { client, closes } = stubConnection();
  watch.authenticated(client, clock.now().getTime() / 1000);
  watch.connected(client);
  assert.deepEqual([told, closes()], [['d1'], 1]);
});

void it('arms no timer for a connection without a token (X.509), and none longer than setTimeout can hold', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const watch = new TokenExpiryWatch(clock);
    const [certificate, sixtyDays] = [stubConnection(), stubConnection()];
    watch.connected(certificate.client);
    watch.authenticated(sixtyDays.client, clock.now().getTime() / 1000 + 60 * 24 * 3600);
    watch.connected(sixtyDays.client);
    await nextTurn();
    await nextTurn();
    // Node clamps a delay over 2^31-1 ms to 1 ms (with a TimeoutOverflowWarning): the watch would spin.
    assert.deepEqual([warnings, certificate.closes(), sixtyDays.closes()], [[], 0, 0]);
    watch.close();
  } finally {
    process.off('warning', onWarning);
  }
});

void it('closes a connection when its token expires, unless it left or the hub closed first', (context) => {
  context.mock.timers.enable({ apis: ['setTimeout'] });
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const watch = new TokenExpiryWatch(clock);
  const inAMinute = clock.now().getTime() / 1000 + 60;
  const [stays, leaves, outlived] = [stubConnection(), stubConnection(), stubConnection()];
  for (const connection of [stays, leaves]) {
    watch.authenticated(connection.client, inAMinute);
    watch.connected(connection.client);
  }
  watch.disconnected(leaves.client);
  clock.advanceSeconds(60);
  context.mock.timers.tick(60_000);
  assert.deepEqual([stays.closes(), leaves.closes()], [1, 0]);
  watch.authenticated(outlived.client, clock.now().getTime() / 1000 + 60);
  watch.connected(outlived.client);
  watch.close();
  clock.advanceSeconds(60);
  context.mock.timers.tick(60_000);
  assert.equal(outlived.closes(), 0, 'a closed hub closes nothing later');
});
