import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHubError, newRegistry } from './fixtures.js';

function withModule() {
  const fixture = newRegistry();
  fixture.registry.createDevice('d1', undefined);
  fixture.registry.createModule('d1', 'm1', undefined);
  return fixture;
}

const MODULE = { deviceId: 'd1', moduleId: 'm1' } as const;
const DEVICE = { deviceId: 'd1' } as const;

void describe('IdentityRegistry: twins', () => {
  void it('patches a module twin without touching the device twin', () => {
    const { registry } = withModule();
    const change = registry.patchTwin(MODULE, { desired: { rate: 5 }, tags: { site: 'a' } }, undefined);
    assert.deepEqual(change.desiredPatch, { rate: 5 });
    assert.deepEqual(registry.getTwin(MODULE).desired.values, { rate: 5 });
    assert.deepEqual(registry.getTwin(MODULE).tags, { site: 'a' });
    assert.equal(registry.getModule('d1', 'm1').twin.version, 2);
    assert.deepEqual(registry.getTwin(DEVICE).desired.values, {});
    assert.equal(registry.getTwin(DEVICE).version, 1);
  });

  void it('patches a device twin without touching its modules', () => {
    const { registry } = withModule();
    registry.patchTwin(DEVICE, { desired: { mode: 'eco' } }, undefined);
    assert.deepEqual(registry.getDevice('d1').twin.desired.values, { mode: 'eco' });
    assert.deepEqual(registry.getTwin(MODULE).desired.values, {});
  });

  void it('stores reported properties of a module and of a device separately', () => {
    const { registry, clock } = withModule();
    clock.advanceSeconds(10);
    const twin = registry.patchReported(MODULE, { temp: 21 });
    assert.equal(twin.reported.version, 2);
    assert.deepEqual(registry.getTwin(MODULE).reported.values, { temp: 21 });
    assert.equal(registry.getTwin(MODULE).reported.metadata.$lastUpdated, '2026-01-01T00:00:10.000Z');
    registry.patchReported(DEVICE, { up: true });
    assert.deepEqual(registry.getTwin(DEVICE).reported.values, { up: true });
    assert.deepEqual(registry.getTwin(MODULE).reported.values, { temp: 21 });
  });

  void it('keeps the stored twin when a patch is refused (412, invalid patch)', () => {
    const { registry } = withModule();
    registry.patchTwin(MODULE, { desired: { rate: 5 } }, undefined);
    const before = structuredClone(registry.getTwin(MODULE));
    expectHubError(() => registry.patchTwin(MODULE, { desired: { rate: 6 } }, '"AAAAAAAAAAE="'), 412, 'PreconditionFailed');
    expectHubError(() => registry.patchTwin(MODULE, { desired: { 'a.b': 6 } }, undefined), 400, 'ArgumentInvalid');
    expectHubError(() => registry.patchReported(MODULE, { $x: 1 }), 400, 'ArgumentInvalid');
    assert.deepEqual(registry.getTwin(MODULE), before);
  });

  void it('patches with the current etag and then refuses that etag once stale', () => {
    const { registry } = withModule();
    registry.patchTwin(MODULE, { desired: { a: 1 } }, '"AAAAAAAAAAE="');
    expectHubError(() => registry.patchTwin(MODULE, { desired: { a: 2 } }, '"AAAAAAAAAAE="'), 412, 'PreconditionFailed');
    registry.patchTwin(MODULE, { desired: { a: 3 } }, '"AAAAAAAAAAI="');
    assert.deepEqual(registry.getTwin(MODULE).desired.values, { a: 3 });
  });

  void it('answers 404 for the twin of an unknown identity', () => {
    const { registry } = withModule();
    expectHubError(() => registry.patchTwin({ deviceId: 'd1', moduleId: 'M1' }, { desired: { a: 1 } }, undefined), 404, 'ModuleNotFound');
    expectHubError(() => registry.patchReported({ deviceId: 'd2' }, { a: 1 }), 404, 'DeviceNotFound');
  });
});

void describe('IdentityRegistry: connection state', () => {
  void it('records connect and disconnect with the clock time, per identity', () => {
    const { registry, clock } = withModule();
    clock.advanceSeconds(5);
    registry.setConnectionState(MODULE, true);
    const connected = registry.getModule('d1', 'm1');
    assert.equal(connected.connectionState, 'Connected');
    assert.equal(connected.connectionStateUpdatedTime, '2026-01-01T00:00:05.000Z');
    assert.equal(connected.lastActivityTime, '2026-01-01T00:00:05.000Z');
    assert.equal(registry.getDevice('d1').connectionState, 'Disconnected');
    clock.advanceSeconds(5);
    registry.setConnectionState(MODULE, false);
    assert.equal(registry.getModule('d1', 'm1').connectionState, 'Disconnected');
    assert.equal(registry.getModule('d1', 'm1').connectionStateUpdatedTime, '2026-01-01T00:00:10.000Z');
  });

  void it('keeps the twin when the connection state changes', () => {
    const { registry } = withModule();
    registry.patchTwin(MODULE, { desired: { a: 1 } }, undefined);
    registry.setConnectionState(MODULE, true);
    assert.deepEqual(registry.getTwin(MODULE).desired.values, { a: 1 });
    assert.equal(registry.getDevice('d1').twin.version, 1);
  });

  void it('ignores unknown identities (a connection may outlive its identity)', () => {
    const { registry } = withModule();
    assert.doesNotThrow(() => registry.setConnectionState({ deviceId: 'gone' }, true));
    assert.doesNotThrow(() => registry.setConnectionState({ deviceId: 'd1', moduleId: 'gone' }, true));
    assert.equal(registry.findIdentity({ deviceId: 'd1', moduleId: 'gone' }), undefined);
  });
});
