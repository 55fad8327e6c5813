import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendTelemetry } from '../../src/flows/device-messaging.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

// A healthy session takes well under a second here; the limit only turns a hub that stopped answering
// into a prompt failure (the SDK would otherwise retry its connect for minutes).
const STEP_LIMIT_MS = 8_000;

/**
 * One device session end to end, first in the mutation runs' order (stryker.config.js): a change that
 * breaks the broker's wiring fails here within seconds, instead of hanging the longer suites until
 * their own limits.
 */
describe('MQTT smoke: one device session end to end', () => {
  let hub: HubFixture;
  let device: IdentityKeys;
  before(async () => {
    hub = await HubFixture.start();
    device = await hub.createDevice(newId('smoke'));
  }, { timeout: STEP_LIMIT_MS });
  after(async () => hub.stop());

  it('opens, reads its twin, reports, receives a desired patch and sends telemetry', { timeout: STEP_LIMIT_MS }, async () => {
    const session = await DeviceTwinSession.open(await hub.client(device));
    try {
      await session.reportProperties({ firmware: '1.0' });
      assert.deepEqual(hub.emulator.control.twinOf(device).reported.values, { firmware: '1.0' });
      const patch = await hub.registry.updateTwin(device.deviceId, { properties: { desired: { interval: 5 } } }, '*');
      const received = await session.waitForPatch(patch.responseBody.properties.desired.$version as number, STEP_LIMIT_MS);
      assert.equal(received.patch.interval, 5);
      await sendTelemetry(session.client, 'ping', { kind: 'smoke' });
      assert.deepEqual(hub.emulator.control.telemetry(device).map((message) => message.body.toString()), ['ping']);
    } finally {
      await session.close();
    }
  });
});
