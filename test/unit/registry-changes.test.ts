import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeed } from '../../emulator/state/change-feed.js';
import { revokedIdentities, type RegistryChange } from '../../emulator/state/registry-changes.js';
import { DeviceSessions, type SessionChange } from '../../emulator/state/sessions.js';
import { TelemetryBuffer, type TelemetryChange } from '../../emulator/state/telemetry.js';
import { newRegistry } from './fixtures.js';

/** A registry with d1 (module m1) and a recorder of what it announces from then on. */
function recordedRegistry() {
  const fixture = newRegistry();
  fixture.registry.createDevice('d1', undefined);
  fixture.registry.createModule('d1', 'm1', undefined);
  const changes: RegistryChange[] = [];
  fixture.registry.changes.subscribe((change) => changes.push(change));
  return { ...fixture, changes, types: () => changes.map((change) => change.type) };
}

const M1 = { deviceId: 'd1', moduleId: 'm1' };

void describe('ChangeFeed', () => {
  void it('tells every subscriber of every change, in order, and stops telling an unsubscribed one', () => {
    const feed = new ChangeFeed<number>();
    const first: number[] = [];
    const second: number[] = [];
    const stop = feed.subscribe((n) => first.push(n));
    feed.subscribe((n) => second.push(n));
    feed.announce(1);
    stop();
    feed.announce(2);
    assert.deepEqual(first, [1]);
    assert.deepEqual(second, [1, 2]);
  });

  void it('queues a change announced by a subscriber behind the one being delivered', () => {
    const feed = new ChangeFeed<string>();
    const seen: string[] = [];
    feed.subscribe((change) => {
      seen.push(`a:${change}`);
      if (change === 'outer') feed.announce('inner');
    });
    feed.subscribe((change) => seen.push(`b:${change}`));
    feed.announce('outer');
    assert.deepEqual(seen, ['a:outer', 'b:outer', 'a:inner', 'b:inner']);
  });

  void it('tells the other subscribers when one throws, then rethrows the first error to the writer', () => {
    const feed = new ChangeFeed<number>();
    const seen: number[] = [];
    feed.subscribe(() => {
      throw new Error('disk full');
    });
    feed.subscribe((n) => seen.push(n));
    assert.throws(() => feed.announce(7), /disk full/);
    assert.deepEqual(seen, [7]);
    assert.throws(() => feed.announce(8), /disk full/);
    assert.deepEqual(seen, [7, 8], 'the feed still delivers after a failure');
  });
});

void describe('the registry announces each write once, after it succeeded', () => {
  void it('announces identity writes with the record that now holds', () => {
    const hub = recordedRegistry();
    const device = hub.registry.addDevice({ deviceId: 'd2' });
    hub.registry.updateModule({ deviceId: 'd1', moduleId: 'm1', managedBy: 'edge' }, '*');
    assert.deepEqual(hub.types(), ['identity-created', 'identity-updated']);
    assert.equal(hub.changes[0]?.type === 'identity-created' ? hub.changes[0].record : undefined, device);
    assert.deepEqual(hub.changes[1]?.type === 'identity-updated' ? hub.changes[1].identity : undefined, M1);
  });

  void it('announces disabling a device with its modules, and re-enabling it as an update', () => {
    const hub = recordedRegistry();
    hub.registry.updateDevice({ deviceId: 'd1', status: 'disabled' }, '*');
    hub.registry.updateDevice({ deviceId: 'd1', status: 'disabled', statusReason: 'still' }, '*');
    hub.registry.updateDevice({ deviceId: 'd1', status: 'enabled' }, '*');
    assert.deepEqual(hub.types(), ['identity-disabled', 'identity-updated', 'identity-updated']);
    const disabled = hub.changes[0];
    assert.ok(disabled?.type === 'identity-disabled');
    assert.deepEqual(disabled.moduleIds, ['m1']);
    assert.deepEqual(revokedIdentities(disabled), [M1, { deviceId: 'd1' }], 'the modules lose their connections first, then the device');
    assert.deepEqual(hub.changes.slice(1).flatMap(revokedIdentities), [], 'an update revokes nothing');
  });

  void it('announces a deleted device with the modules deleted with it, and a deleted module alone', () => {
    const hub = recordedRegistry();
    hub.registry.createModule('d1', 'm2', undefined);
    hub.registry.deleteModule('d1', 'm2', '*');
    hub.registry.deleteDevice('d1', '*');
    assert.deepEqual(hub.changes.slice(1), [
      { type: 'identity-deleted', identity: { deviceId: 'd1', moduleId: 'm2' }, moduleIds: [] },
      { type: 'identity-deleted', identity: { deviceId: 'd1' }, moduleIds: ['m1'] },
    ]);
    assert.deepEqual(hub.changes.slice(1).map(revokedIdentities), [[{ deviceId: 'd1', moduleId: 'm2' }], [M1, { deviceId: 'd1' }]]);
  });

  void it('announces a desired patch with what the device is told and the new $version; tags alone as tags-updated', () => {
    const hub = recordedRegistry();
    hub.registry.patchTwin(M1, { desired: { rate: 5 }, tags: { site: 'a' } }, undefined);
    hub.registry.patchTwin(M1, { tags: { site: 'b' } }, undefined);
    hub.registry.replaceTwinDocument(M1, { desired: {} }, undefined);
    const [patched, tagged, replaced] = hub.changes;
    assert.ok(patched?.type === 'desired-properties-patched' && replaced?.type === 'desired-properties-patched');
    assert.deepEqual([patched.identity, patched.patch, patched.version], [M1, { rate: 5 }, 2]);
    assert.equal(tagged?.type, 'tags-updated');
    assert.deepEqual([replaced.patch, replaced.version], [{ rate: null }, 3]);
    assert.equal(replaced.record.twin, hub.registry.getTwin(M1), 'the change carries the stored twin');
  });

  void it('announces reported patches and connection states', () => {
    const hub = recordedRegistry();
    hub.registry.patchReported({ deviceId: 'd1' }, { fw: '1.0' });
    hub.registry.setConnectionState(M1, true);
    hub.registry.setConnectionState({ deviceId: 'gone' }, true);
    const [reported, connected] = hub.changes;
    assert.ok(reported?.type === 'reported-properties-patched' && connected?.type === 'connection-state-changed');
    assert.deepEqual([reported.patch, reported.version], [{ fw: '1.0' }, 2]);
    assert.deepEqual([connected.identity, connected.connected, connected.record.connectionState], [M1, true, 'Connected']);
    assert.equal(hub.changes.length, 2, 'an unknown identity changes nothing');
  });

  void it('announces nothing for a refused write or one that changes nothing', () => {
    const hub = recordedRegistry();
    assert.throws(() => hub.registry.addDevice({ deviceId: 'd1' }));
    assert.throws(() => hub.registry.patchTwin(M1, { desired: { rate: 1 } }, '"stale"'));
    assert.throws(() => hub.registry.patchReported(M1, { $bad: 1 }));
    assert.throws(() => hub.registry.deleteDevice('nope', '*'));
    hub.registry.patchTwin(M1, {}, undefined);
    assert.deepEqual(hub.changes, []);
  });

  void it('announces clearing everything', () => {
    const hub = recordedRegistry();
    hub.registry.clear();
    assert.deepEqual(hub.changes, [{ type: 'registry-cleared' }]);
  });
});

void describe('sessions and telemetry announce their changes', () => {
  void it('announce a session only when its topics change, and forgetting or clearing', () => {
    const sessions = new DeviceSessions();
    const changes: SessionChange[] = [];
    sessions.changes.subscribe((change) => changes.push(change));
    sessions.subscribed('d1', 'a');
    sessions.subscribed('d1', 'a');
    sessions.subscribed('d1', 'b');
    sessions.unsubscribed('d1', 'a');
    sessions.unsubscribed('d1', 'zzz');
    sessions.forget('d1');
    sessions.forget('d1');
    sessions.clear();
    assert.deepEqual(changes, [
      { type: 'session-changed', clientId: 'd1', topics: ['a'] },
      { type: 'session-changed', clientId: 'd1', topics: ['a', 'b'] },
      { type: 'session-changed', clientId: 'd1', topics: ['b'] },
      { type: 'session-changed', clientId: 'd1', topics: [] },
      { type: 'sessions-cleared' },
    ]);
  });

  void it('announce each telemetry message taken in', () => {
    const telemetry = new TelemetryBuffer({ capacity: 1 });
    const changes: TelemetryChange[] = [];
    telemetry.changes.subscribe((change) => changes.push(change));
    const message = { deviceId: 'd1', body: Buffer.from('x'), systemProperties: {}, applicationProperties: {}, enqueuedTime: 'now' };
    telemetry.record(message);
    telemetry.clear();
    assert.deepEqual(changes, [{ type: 'telemetry-enqueued', message }, { type: 'telemetry-cleared' }]);
  });
});
