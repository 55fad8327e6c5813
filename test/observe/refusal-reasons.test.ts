import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFromOwnToken, makeDeviceToken, type DeviceSideClient } from '../../src/flows/device-client-factory.js';
import type { DeviceTransport } from '../../src/flows/device-twin-session.js';
import { deviceCertificate, thumbprint } from '../../src/flows/x509-certificates.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { credentialsFor, publishOutcome, rawConnect, subscribeGranted } from '../mqtt/raw-mqtt.js';
import { registerX509, x509Client } from '../x509/x509-fixture.js';
import { CapturedLogs, metricValue, scrape } from './observe-fixture.js';

const SUBACK_FAILURE = 0x80;

interface RefusedLine {
  readonly event: string;
  readonly transport: string;
  readonly reason: string;
}

/**
 * Issue 15's refusal reasons, each produced end to end (the official SDKs; raw MQTT for what the SDKs
 * cannot be made to send): the warn log names the reason, the `refusals` metric for that transport and
 * reason moves by exactly one, and the logged line holds neither the key nor the token that was refused.
 */
void describe('each refusal reason, end to end, in the log and the metrics', { timeout: 120_000 }, () => {
  let hub: HubFixture;
  let logs: CapturedLogs;

  before(async () => {
    hub = await HubFixture.start({ controlPlane: true });
    logs = new CapturedLogs(hub);
  });
  after(async () => hub.stop());

  /** Runs `refuse`, then checks the new warn lines and the metric; `secrets` must appear in neither. */
  async function expectRefusal(expected: { transport: string; reason: string; secrets: readonly string[] }, refuse: () => Promise<void>): Promise<void> {
    const linesBefore = logs.of('warn', 'json').length;
    const metricsBefore = (await scrape(hub)).text;
    await refuse();
    const metricsAfter = (await scrape(hub)).text;
    const labels = { transport: expected.transport, reason: expected.reason };
    const moved = metricValue(metricsAfter, 'iothub_emulator_refusals_total', labels) - metricValue(metricsBefore, 'iothub_emulator_refusals_total', labels);
    assert.equal(moved, 1, `refusals{transport=${expected.transport},reason=${expected.reason}} moved by ${moved}`);
    const newLines = logs.of('warn', 'json').slice(linesBefore);
    const refusedLines = newLines.filter((line) => {
      const entry = JSON.parse(line) as RefusedLine;
      return entry.event === 'refused' && entry.transport === expected.transport && entry.reason === expected.reason;
    });
    assert.equal(refusedLines.length, 1, `one warn line names ${expected.reason} over ${expected.transport}; got:\n${newLines.join('')}`);
    for (const text of [newLines.join(''), metricsAfter]) {
      for (const secret of expected.secrets) assert.ok(!text.includes(secret) && !text.includes(encodeURIComponent(secret)), 'no key or token in the log or the metrics');
      assert.doesNotMatch(text, /sig=(?!\[redacted\])[^&\s"]/i);
    }
  }

  async function openRefused(client: DeviceSideClient): Promise<void> {
    try {
      await assert.rejects(client.open());
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** A client holding a token that expired a minute ago, as an application would make it from its key. */
  async function expiredTokenClient(device: IdentityKeys, transport: DeviceTransport): Promise<{ client: DeviceSideClient; token: string }> {
    const token = makeDeviceToken({ hostName: hub.emulator.hostName, deviceId: device.deviceId }, device.primaryKey, Math.floor(Date.now() / 1000) - 60);
    const identity = { hostName: hub.emulator.hostName, deviceId: device.deviceId };
    const client = clientFromOwnToken({ identity, token, transport, ...(transport === 'mqtt' ? { gatewayHostName: hub.emulator.mqttGatewayHostName } : {}) });
    await client.setOptions({ ca: hub.emulator.caCertificate });
    return { client, token };
  }

  for (const transport of ['mqtt', 'amqp'] as const) {
    void it(`expired-token: a device SAS token whose expiry has passed (${transport})`, async () => {
      const device = await hub.createDevice(newId('expired'));
      const { client, token } = await expiredTokenClient(device, transport);
      await expectRefusal({ transport, reason: 'expired-token', secrets: [device.primaryKey, token] }, () => openRefused(client));
    });

    void it(`disabled-identity: a disabled device connecting with its own valid key (${transport})`, async () => {
      const device = await hub.createDevice(newId('disabled'));
      await hub.registry.update({ deviceId: device.deviceId, status: 'disabled' });
      const client = await hub.client(device, transport);
      await expectRefusal({ transport, reason: 'disabled-identity', secrets: [device.primaryKey] }, () => openRefused(client));
    });
  }

  void it('forbidden-topic: a raw MQTT publish to another device’s telemetry topic closes the connection', async () => {
    const [device, other] = await Promise.all([hub.createDevice(newId('pub')), hub.createDevice(newId('victim'))]);
    const credentials = credentialsFor(hub, device);
    const { client, returnCode } = await rawConnect(hub, credentials);
    assert.equal(returnCode, 0);
    try {
      await expectRefusal({ transport: 'mqtt', reason: 'forbidden-topic', secrets: [device.primaryKey, credentials.password] }, async () => {
        assert.equal(await publishOutcome(client, `devices/${other.deviceId}/messages/events/`, 'not mine'), 'closed');
      });
    } finally {
      client.end(true);
    }
  });

  void it('forbidden-topic: a raw MQTT subscribe outside the device’s namespace gets SUBACK 0x80', async () => {
    const device = await hub.createDevice(newId('sub'));
    const credentials = credentialsFor(hub, device);
    const { client, returnCode } = await rawConnect(hub, credentials);
    assert.equal(returnCode, 0);
    try {
      await expectRefusal({ transport: 'mqtt', reason: 'forbidden-topic', secrets: [device.primaryKey, credentials.password] }, async () => {
        assert.equal(await subscribeGranted(client, 'devices/+/messages/devicebound/#'), SUBACK_FAILURE);
      });
    } finally {
      client.end(true);
    }
  });

  void it('certificate-mismatch: a selfSigned device presenting a certificate whose thumbprint is not registered (mqtt)', async () => {
    const deviceId = newId('x509');
    const [registered, presented] = await Promise.all([deviceCertificate(deviceId), deviceCertificate(deviceId)]);
    await registerX509(hub, { deviceId }, { type: 'selfSigned', primaryThumbprint: thumbprint(registered) });
    const client = await x509Client(hub, { deviceId }, presented);
    await expectRefusal({ transport: 'mqtt', reason: 'certificate-mismatch', secrets: [presented.key] }, () => openRefused(client));
  });
});
