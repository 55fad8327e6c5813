import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../emulator/state/clock.js';
import { routeTelemetryToEventHub } from '../../emulator/state/event-hub-intake.js';
import { eventSize } from '../../emulator/state/event-hub-partition.js';
import { DEFAULT_EVENT_HUB_OPTIONS, EventHubStore } from '../../emulator/state/event-hub-store.js';
import { TelemetryBuffer, type TelemetryMessage } from '../../emulator/state/telemetry.js';
import { newRegistry } from './fixtures.js';

/** Telemetry into the Event Hub-compatible endpoint (event-hub-intake.ts) and the partition log's bookkeeping. */
const message = (init: { deviceId?: string; moduleId?: string; body?: string } = {}): TelemetryMessage => ({
  deviceId: init.deviceId ?? 'd1', ...(init.moduleId === undefined ? {} : { moduleId: init.moduleId }), body: Buffer.from(init.body ?? 'x'),
  systemProperties: {}, applicationProperties: {}, enqueuedTime: new Date(0).toISOString(),
});

function intake(retention: Partial<typeof DEFAULT_EVENT_HUB_OPTIONS.retention> = {}) {
  const { registry } = newRegistry();
  registry.createDevice('d1', undefined);
  registry.createModule('d1', 'm1', undefined);
  registry.addDevice({ deviceId: 'x1', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'AB'.repeat(20) } } });
  const store = new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, retention: { ...DEFAULT_EVENT_HUB_OPTIONS.retention, ...retention } }, new ManualClock());
  const telemetry = new TelemetryBuffer();
  const stop = routeTelemetryToEventHub(telemetry, registry, store);
  const last = (deviceId: string) => store.eventAt(store.partitionOf(deviceId), store.endSequenceNumber(store.partitionOf(deviceId)) - 1);
  return { registry, store, telemetry, stop, last };
}

void describe('telemetry into the Event Hub-compatible endpoint', () => {
  void it('stamps each event with the sending identity\'s generation and authentication, the module\'s own for a module', () => {
    const hub = intake();
    hub.telemetry.record(message());
    assert.deepEqual(hub.last('d1')?.origin, { generationId: hub.registry.getDevice('d1').generationId, authenticationType: 'sas' });
    hub.telemetry.record(message({ moduleId: 'm1', body: 'from module' }));
    const moduleOrigin = hub.last('d1')?.origin;
    assert.equal(moduleOrigin?.generationId, hub.registry.findIdentity({ deviceId: 'd1', moduleId: 'm1' })?.generationId);
    assert.notEqual(moduleOrigin?.generationId, hub.registry.getDevice('d1').generationId);
    hub.telemetry.record(message({ deviceId: 'x1' }));
    assert.equal(hub.last('x1')?.origin.authenticationType, 'selfSigned');
  });

  void it('keeps the event of an identity deleted meanwhile, with no origin', () => {
    const hub = intake();
    hub.telemetry.record(message({ deviceId: 'gone' }));
    assert.deepEqual(hub.last('gone')?.origin, { generationId: undefined, authenticationType: undefined });
  });

  void it('empties every partition when the telemetry is cleared, and stops when told to', () => {
    const hub = intake();
    hub.telemetry.record(message());
    hub.telemetry.clear();
    assert.equal(hub.store.info(hub.store.partitionOf('d1')).isEmpty, true);
    hub.stop();
    hub.telemetry.record(message());
    assert.equal(hub.store.info(hub.store.partitionOf('d1')).isEmpty, true, 'nothing arrives once stopped');
  });
});

void describe('the store and its partition logs', () => {
  void it('sizes an event by its body and its property names and values, never below 1 byte', () => {
    assert.equal(eventSize({ ...message({ body: '' }) }), 1);
    assert.equal(eventSize({ ...message({ body: 'abc' }), systemProperties: { 'message-id': 'é' }, applicationProperties: { k: 'v' } }), 3 + 'message-id'.length + 2 + 2);
  });

  void it('describes an empty partition as the Event Hubs runtime does', () => {
    const info = intake().store.info('0');
    assert.deepEqual([info.lastSequenceNumber, info.lastOffset, info.lastEnqueuedTimeMs, info.isEmpty], [-1, '-1', 0, true]);
  });

  void it('keeps numbering and reading right across the compaction of a long evicted prefix', () => {
    const hub = intake({ maxEvents: 10 });
    const partition = hub.store.partitionOf('d1');
    for (let n = 0; n < 3000; n += 1) hub.telemetry.record(message({ body: `event-${n}` }));
    assert.equal(hub.store.beginSequenceNumber(partition), 2990);
    assert.equal(hub.store.eventAt(partition, 2990)?.message.body.toString(), 'event-2990');
    assert.equal(hub.store.eventAt(partition, 2999)?.message.body.toString(), 'event-2999');
    assert.equal(hub.store.eventAt(partition, 2989), undefined);
  });

  void it('lists its consumer groups, $Default first, matching names without regard to case, and knows its partitions by id', () => {
    const store = new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, partitionCount: 2, consumerGroups: ['Analytics'] }, new ManualClock());
    assert.deepEqual(store.consumerGroups, ['$Default', 'Analytics']);
    assert.deepEqual([store.hasConsumerGroup('analytics'), store.hasConsumerGroup('$default'), store.hasConsumerGroup('other')], [true, true, false]);
    assert.deepEqual([store.hasPartition('0'), store.hasPartition('1'), store.hasPartition('2')], [true, true, false]);
  });

  void it('names the partitions it has when asked for another', () => {
    assert.throws(() => intake().store.info('9'), { name: 'RangeError', message: "The hub has no partition '9'; it has 0, 1, 2, 3." });
  });
});
