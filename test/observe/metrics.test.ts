import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client as DeviceClientType, Twin } from 'azure-iot-device';
import { Message, Registry } from '../../src/sdk.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { httpDevice } from '../http-device/http-device-fixture.js';
import { CapturedLogs, metricValue, scrape } from './observe-fixture.js';

const WRONG_KEY = Buffer.from('another-wrong-key-for-the-metrics!!').toString('base64');

/** GET /_emulator/metrics moves by exactly what the session did; refusals carry their reason in log and metrics. */
void describe('Prometheus metrics and refusal reasons', () => {
  let hub: HubFixture;
  let logs: CapturedLogs;
  let device: IdentityKeys;

  before(async () => {
    hub = await HubFixture.start({ controlPlane: true });
    logs = new CapturedLogs(hub);
    device = await hub.createDevice(newId('metrics'));
  });
  after(async () => hub.stop());

  void it('serves the Prometheus text format', async () => {
    const { contentType, text } = await scrape(hub);
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    assert.match(text, /# TYPE iothub_emulator_desired_delivery_seconds histogram/);
  });

  void it('counts a connect, telemetry, a delivered patch (in the histogram) and REST requests by route', async () => {
    const before = (await scrape(hub)).text;
    const client = (await hub.client(device)) as DeviceClientType;
    await client.open();
    const twin: Twin = await client.getTwin();
    const patched = new Promise<void>((resolve) => twin.on('properties.desired', (desired: { n?: number }) => desired.n === 1 && resolve()));
    await hub.registry.updateTwin(device.deviceId, { properties: { desired: { n: 1 } } }, '*');
    await patched;
    await client.sendEvent(new Message('one'));
    await client.sendEvent(new Message('two'));
    const during = (await scrape(hub)).text;
    await client.close();
    const delta = (text: string, name: string, labels: Record<string, string> = {}): number => metricValue(text, name, labels) - metricValue(before, name, labels);
    assert.equal(delta(during, 'iothub_emulator_connects_total', { transport: 'mqtt' }), 1);
    assert.equal(delta(during, 'iothub_emulator_connections', { transport: 'mqtt' }), 1);
    assert.equal(delta(during, 'iothub_emulator_telemetry_in_total', { transport: 'mqtt' }), 2);
    assert.equal(delta(during, 'iothub_emulator_twin_updates_total', { part: 'desired' }), 1);
    assert.equal(delta(during, 'iothub_emulator_desired_patches_delivered_total', { transport: 'mqtt' }), 1);
    assert.equal(delta(during, 'iothub_emulator_desired_delivery_seconds_count', { transport: 'mqtt' }), 1);
    assert.equal(delta(during, 'iothub_emulator_rest_requests_total', { route: 'PATCH /twins/{id}', status: '200' }), 1);
    const info = logs.of('info', 'json').map((line) => JSON.parse(line) as { event: string; route?: string; clientId?: string; reason?: string });
    assert.ok(info.some((entry) => entry.event === 'rest-request' && entry.route === 'PATCH /twins/{id}'));
    assert.ok(info.some((entry) => entry.event === 'connected' && entry.clientId === device.deviceId));
  });

  void it('counts telemetry sent over the HTTPS device API under transport https, once', async () => {
    const before = (await scrape(hub)).text;
    const linesBefore = logs.of('debug', 'json').length;
    const client = httpDevice(hub, device);
    try {
      await client.sendEvent(new Message('one'));
      await client.sendEvent(new Message('two'));
    } finally {
      await client.close();
    }
    const after = (await scrape(hub)).text;
    const delta = (transport: string): number => metricValue(after, 'iothub_emulator_telemetry_in_total', { transport }) - metricValue(before, 'iothub_emulator_telemetry_in_total', { transport });
    assert.deepEqual(['https', 'mqtt', 'amqp'].map(delta), [2, 0, 0], 'https +2, no other transport counted');
    const telemetry = logs.of('debug', 'json').slice(linesBefore).map((line) => JSON.parse(line) as { event: string; transport?: string; deviceId?: string; bodyBytes?: number });
    assert.deepEqual(telemetry.filter((entry) => entry.event === 'telemetry').map(({ transport, deviceId, bodyBytes }) => ({ transport, deviceId, bodyBytes })), [
      { transport: 'https', deviceId: device.deviceId, bodyBytes: 3 },
      { transport: 'https', deviceId: device.deviceId, bodyBytes: 3 },
    ]);
  });

  void it('names each refusal reason in the log and the metrics', async () => {
    const before = (await scrape(hub)).text;
    const wrongKey = await hub.client({ ...device, primaryKey: WRONG_KEY }, 'amqp');
    await assert.rejects(wrongKey.open());
    await wrongKey.close().catch(() => undefined);
    const unknown = await hub.client({ ...device, deviceId: newId('nobody') }, 'mqtt');
    await assert.rejects(unknown.open());
    await unknown.close().catch(() => undefined);
    const unknownPolicy = Registry.fromConnectionString(`HostName=${hub.emulator.hostName};SharedAccessKeyName=nosuchpolicy;SharedAccessKey=${WRONG_KEY}`);
    await assert.rejects(unknownPolicy.get(device.deviceId));
    const readOnly = Registry.fromConnectionString(hub.emulator.getServiceConnectionString('registryRead'));
    await assert.rejects(readOnly.create({ deviceId: newId('denied') }));
    const after = (await scrape(hub)).text;
    const refusals = (transport: string, reason: string): number => metricValue(after, 'iothub_emulator_refusals_total', { transport, reason }) - metricValue(before, 'iothub_emulator_refusals_total', { transport, reason });
    assert.equal(refusals('amqp', 'wrong-key'), 1);
    assert.equal(refusals('mqtt', 'unknown-identity'), 1);
    assert.equal(refusals('https', 'unknown-policy'), 1);
    assert.equal(refusals('https', 'missing-permission'), 1);
    const warned = logs.of('warn', 'json').map((line) => JSON.parse(line) as { event: string; reason: string });
    for (const reason of ['wrong-key', 'unknown-identity', 'unknown-policy', 'missing-permission']) {
      assert.ok(warned.some((entry) => entry.event === 'refused' && entry.reason === reason), `the warn log names ${reason}`);
    }
    assert.equal(logs.of('warn', 'text').join('').includes(' connected over '), false, 'connects are info, not warn');
  });
});
