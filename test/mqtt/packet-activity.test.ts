import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { PacketActivity, TelemetryActivity } from '../../emulator/state/activity.js';
import { credentialsFor, publishOutcome, rawConnect, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId } from './hub-fixture.js';

let hub: HubFixture;
before(async () => {
  hub = await HubFixture.start();
});
after(async () => hub.stop());

// The inspector's packet view and the debug log read these events (docs/observability.md).
void it('announces a SAS connection, then each SUBSCRIBE and PUBLISH the device sends, with its topic and size, and no body', { timeout: 10_000 }, async () => {
  const device = await hub.createDevice(newId('packets'));
  const [events, authentications, telemetry]: [PacketActivity[], string[], TelemetryActivity[]] = [[], [], []];
  const stop = hub.emulator.activity.subscribe((event) => {
    if (event.type === 'packet') events.push(event);
    if (event.type === 'telemetry') telemetry.push(event);
    if (event.type === 'connected' && event.clientId === device.deviceId) authentications.push(event.authentication);
  });
  const { client } = await rawConnect(hub, credentialsFor(hub, device));
  try {
    assert.deepEqual(authentications, ['sas']);
    assert.equal(await subscribeGranted(client, '$iothub/twin/PATCH/properties/desired/#'), 0);
    assert.equal(await publishOutcome(client, `devices/${device.deviceId}/messages/events/`, 'abc'), 'acknowledged');
    const seen = events.map((event) => ({ clientId: event.clientId, direction: event.direction, kind: event.kind, topic: event.topicOrAddress, bytes: event.bytes }));
    assert.deepEqual(seen, [
      { clientId: device.deviceId, direction: 'in', kind: 'SUBSCRIBE', topic: '$iothub/twin/PATCH/properties/desired/#', bytes: undefined },
      { clientId: device.deviceId, direction: 'in', kind: 'PUBLISH', topic: `devices/${device.deviceId}/messages/events/`, bytes: 3 },
    ]);
    // Absent, not undefined: embedded subscribers read the events as typed (exactOptionalPropertyTypes).
    assert.deepEqual([Object.hasOwn(events[0] ?? {}, 'bytes'), telemetry.map((event) => Object.hasOwn(event, 'moduleId'))], [false, [false]], "a SUBSCRIBE's size, a device's module id");
  } finally {
    stop();
    client.end(true);
  }
});

void it('names every topic of a SUBSCRIBE with several, and the refused one in its refusal', { timeout: 10_000 }, async () => {
  const device = await hub.createDevice(newId('subscribe'));
  const [packets, refusals]: [string[], string[]] = [[], []];
  const stop = hub.emulator.activity.subscribe((event) => {
    if (event.type === 'packet' && event.kind === 'SUBSCRIBE') packets.push(event.topicOrAddress ?? '');
    if (event.type === 'refused' && event.claimedBy === device.deviceId) refusals.push(`${event.reason}: ${event.detail}`);
  });
  const { client } = await rawConnect(hub, credentialsFor(hub, device));
  try {
    const granted = await new Promise<number[]>((resolve, reject) => {
      client.subscribe(['$iothub/methods/POST/#', 'devices/someone-else/messages/devicebound/#'], { qos: 0 }, (error: Error | null | undefined, grants) => (error ? reject(error) : resolve(grants.map((grant) => grant.qos))));
    });
    assert.deepEqual(granted, [0, 128]);
    assert.deepEqual(packets, ['$iothub/methods/POST/# devices/someone-else/messages/devicebound/#']);
    assert.deepEqual(refusals, ["forbidden-topic: subscribing to 'devices/someone-else/messages/devicebound/#' is not allowed for this identity"]);
  } finally {
    stop();
    client.end(true);
  }
});

void it('announces a module\'s telemetry with its ids, its properties ($.-prefixed system ones) and its size', { timeout: 10_000 }, async () => {
  const [, module] = await hub.createDeviceAndModule('telemetry');
  const events: TelemetryActivity[] = [];
  const stop = hub.emulator.activity.subscribe((event) => event.type === 'telemetry' && events.push(event));
  const { client } = await rawConnect(hub, credentialsFor(hub, module));
  try {
    const topic = `devices/${module.deviceId}/modules/${module.moduleId ?? ''}/messages/events/%24.ct=application%2Fjson&k=v`;
    assert.equal(await publishOutcome(client, topic, '{"t":1}'), 'acknowledged');
    assert.deepEqual(events.map(({ deviceId, moduleId, properties, bodyBytes }) => ({ deviceId, moduleId, properties, bodyBytes })), [
      { deviceId: module.deviceId, moduleId: module.moduleId, properties: { '$.ct': 'application/json', k: 'v' }, bodyBytes: 7 },
    ]);
  } finally {
    stop();
    client.end(true);
  }
});

void it('tells MQTT over TLS from MQTT over WebSockets in what it announces', { timeout: 10_000 }, async () => {
  const device = await hub.createDevice(newId('transport'));
  const transports: string[] = [];
  const stop = hub.emulator.activity.subscribe((event) => event.type === 'connected' && event.clientId === device.deviceId && transports.push(event.transport));
  try {
    const { client } = await rawConnect(hub, credentialsFor(hub, device));
    client.end(true);
    const overWebSockets = await hub.client(device, 'mqtt-ws');
    await overWebSockets.open();
    await overWebSockets.close();
    assert.deepEqual(transports, ['mqtt', 'mqtt-ws']);
  } finally {
    stop();
  }
});
