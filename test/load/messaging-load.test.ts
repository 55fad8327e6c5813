import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mapLimit } from '../../src/map-limit.js';
import { waitFor } from '../../src/wait-for.js';
import { IpcChild } from '../support/ipc-child.js';
import { dropPlan } from './drop-plan.js';
import { checkReadings, ConsumerGroupReader } from './group-reader.js';
import type { HostRequest, HostStarted } from './load-protocol.js';
import { TelemetryDevice } from './telemetry-device.js';

/**
 * Issue 12, "Done when": 1,000 devices (official DeviceClient over MQTT/TLS) send numbered readings
 * in rounds while a random 10% of their connections are dropped by the emulator; two back ends, one
 * per consumer group, read the Event Hub-compatible endpoint with the official EventHubConsumerClient.
 * Each group must read every acknowledged reading exactly once, in per-device order. Counts are
 * configurable (LOAD_DEVICES, LOAD_READINGS, LOAD_SEED); figures are printed, never asserted as times.
 */
const DEVICES = Number(process.env.LOAD_DEVICES ?? 1000);
const READINGS = Number(process.env.LOAD_READINGS ?? 20);
const SEED = Number(process.env.LOAD_SEED ?? 7);
const DROP_FRACTION = 0.1;
const CONNECT_CONCURRENCY = 25;
const SEND_CONCURRENCY = 100;
const CONSUMER_GROUPS = ['$Default', 'audit'];

test(`load, messaging: ${DEVICES} devices x ${READINGS} readings with ${DROP_FRACTION * 100}% of connections dropped, read by ${CONSUMER_GROUPS.length} consumer groups`, { timeout: 170_000 }, async (t) => {
  const host = IpcChild.fork<HostRequest>({ script: fileURLToPath(new URL('./emulator-host.ts', import.meta.url)), name: 'the emulator host' });
  const devices: TelemetryDevice[] = [];
  const readers: ConsumerGroupReader[] = [];
  try {
    const started = await host.request<HostStarted>({ op: 'start', messaging: { consumerGroups: CONSUMER_GROUPS.slice(1) } }, 30_000);
    const eventHubs = started.eventHubsConnectionString ?? assert.fail('the host serves no Event Hub-compatible string');
    const deviceIds = Array.from({ length: DEVICES }, (_, index) => `tele-${index}`);
    const connectionStrings = await host.request<string[]>({ op: 'registerDevices', deviceIds }, 120_000);
    const changes = new EventEmitter().setMaxListeners(0);
    readers.push(...CONSUMER_GROUPS.map((group) => new ConsumerGroupReader(group, eventHubs, changes)));

    const began = performance.now();
    devices.push(...(await mapLimit(deviceIds, CONNECT_CONCURRENCY, (deviceId, index) => TelemetryDevice.open(deviceId, connectionStrings[index] ?? '', started.ca))));
    const connectedAfterMs = performance.now() - began;
    const plan = dropPlan({ count: DEVICES, rounds: READINGS, fraction: DROP_FRACTION, seed: SEED });
    let dropped = 0;
    for (let round = 1; round <= READINGS; round++) {
      const toDrop = (plan.get(round) ?? []).map((index) => ({ deviceId: deviceIds[index] ?? '' }));
      if (toDrop.length > 0) dropped += await host.request<number>({ op: 'drop', refs: toDrop }, 20_000);
      await mapLimit(devices, SEND_CONCURRENCY, (device) => device.send(round));
    }
    const sentAfterMs = performance.now() - began;

    // Read to the end of every partition as it stands now that every send has finished: a reading
    // delivered twice would be there by then.
    const probe = readers[0] ?? assert.fail('no reader');
    const ends = new Map(await Promise.all((await probe.client.getPartitionIds()).map(async (id) => [id, (await probe.client.getPartitionProperties(id)).lastEnqueuedSequenceNumber] as const)));
    await waitFor(() => (readers.every((reader) => reader.hasReadUpTo(ends)) ? true : undefined), {
      description: `every consumer group to read each partition up to ${JSON.stringify([...ends])}`, timeoutMs: 60_000, changes,
      seen: () => readers.map((reader) => `${reader.consumerGroup}: ${JSON.stringify([...reader.lastSequence])}; errors ${reader.errors.slice(0, 3).join('; ')}`).join(' | '),
    });
    const readAfterMs = performance.now() - began;

    const problems: string[] = [];
    for (const reader of readers) {
      for (const device of devices) checkReadings(reader.consumerGroup, device, reader.byDevice.get(device.deviceId) ?? [], problems);
      problems.push(...reader.unparsed.map((where) => `${reader.consumerGroup}: an event that is no reading of its sender at ${where}`));
    }
    const acknowledged = devices.reduce((sum, device) => sum + device.acknowledged.length, 0);
    const unacknowledged = devices.reduce((sum, device) => sum + device.unacknowledged.length, 0);
    const read = readers.map((reader) => [...reader.byDevice.values()].reduce((sum, list) => sum + list.length, 0));
    t.diagnostic(`devices ${DEVICES}, readings acknowledged ${acknowledged}, not acknowledged ${unacknowledged}, dropped connections ${dropped}, read per group ${read.join(' / ')}`);
    t.diagnostic(`connected all after ${(connectedAfterMs / 1000).toFixed(1)} s, all sent after ${(sentAfterMs / 1000).toFixed(1)} s, all read after ${(readAfterMs / 1000).toFixed(1)} s`);
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} delivery problems`);
    assert.equal(dropped, Math.round(DEVICES * DROP_FRACTION), 'every planned drop hit a live connection');
    assert.ok(acknowledged >= DEVICES * READINGS * 0.99, `only ${acknowledged} of ${DEVICES * READINGS} readings were acknowledged`);
  } finally {
    await Promise.allSettled([...devices.map((device) => device.close()), ...readers.map((reader) => reader.close())]);
    await host.stop({ op: 'stop' }, 15_000);
  }
});
