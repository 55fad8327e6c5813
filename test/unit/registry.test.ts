import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etagForVersion } from '../../emulator/state/etag.js';
import { NEVER } from '../../emulator/state/identity.js';
import { expectHubError, keyFromSeed, newRegistry } from './fixtures.js';

const KEY_16_BYTES = Buffer.alloc(16, 7).toString('base64');
const KEY_64_BYTES = Buffer.alloc(64, 8).toString('base64');

void describe('IdentityRegistry: devices and modules', () => {
  void it('creates a device with generated keys and a generation id, disconnected and enabled', () => {
    const { registry } = newRegistry();
    const device = registry.createDevice('d1', undefined);
    assert.deepEqual(device.keys, { primaryKey: keyFromSeed(1), secondaryKey: keyFromSeed(2) });
    assert.equal(device.generationId, 'gen-1');
    assert.equal(device.status, 'enabled');
    assert.equal(device.connectionState, 'Disconnected');
    assert.equal(device.connectionStateUpdatedTime, NEVER);
    assert.deepEqual(registry.getDevice('d1'), device);
  });

  void it('creates a module with its own generated keys, empty strings asking for generation too', () => {
    const { registry } = newRegistry();
    registry.createDevice('d1', undefined);
    const module = registry.createModule('d1', 'm1', { primaryKey: '', secondaryKey: '' });
    assert.deepEqual([module.deviceId, module.moduleId, module.managedBy], ['d1', 'm1', null]);
    assert.deepEqual(module.keys, { primaryKey: keyFromSeed(3), secondaryKey: keyFromSeed(4) });
    assert.equal(module.generationId, 'gen-2');
    assert.deepEqual(registry.getModule('d1', 'm1'), module);
    assert.deepEqual(registry.listModules('d1').map((m) => m.moduleId), ['m1']);
  });

  void it('keeps given keys of 16 to 64 bytes, generating only the missing one', () => {
    const { registry, generatedKeys } = newRegistry();
    const device = registry.createDevice('d1', { primaryKey: KEY_16_BYTES, secondaryKey: KEY_64_BYTES });
    assert.deepEqual(device.keys, { primaryKey: KEY_16_BYTES, secondaryKey: KEY_64_BYTES });
    assert.equal(generatedKeys.length, 0);
    const module = registry.createModule('d1', 'm1', { primaryKey: KEY_16_BYTES });
    assert.deepEqual(module.keys, { primaryKey: KEY_16_BYTES, secondaryKey: keyFromSeed(1) });
    const second = registry.createModule('d1', 'm2', { secondaryKey: KEY_64_BYTES });
    assert.deepEqual(second.keys, { primaryKey: keyFromSeed(2), secondaryKey: KEY_64_BYTES });
  });

  void it('refuses given keys that are not base64 of 16 to 64 bytes, registering nothing', () => {
    const { registry } = newRegistry();
    const badKeys = [
      Buffer.alloc(15, 1).toString('base64'),
      Buffer.alloc(65, 1).toString('base64'),
      'not base64 at all!',
      KEY_16_BYTES.replace(/=+$/, ''), // unpadded base64
    ];
    for (const bad of badKeys) {
      expectHubError(() => registry.createDevice('d1', { primaryKey: bad }), 400, 'ArgumentInvalid');
      expectHubError(() => registry.createDevice('d1', { primaryKey: KEY_16_BYTES, secondaryKey: bad }), 400, 'ArgumentInvalid');
    }
    assert.equal(registry.deviceCount(), 0);
  });

  void it('answers 409 for an existing device or module, keeping the original', () => {
    const { registry } = newRegistry();
    const device = registry.createDevice('d1', undefined);
    const module = registry.createModule('d1', 'm1', undefined);
    expectHubError(() => registry.createDevice('d1', undefined), 409, 'DeviceAlreadyExists');
    expectHubError(() => registry.createModule('d1', 'm1', undefined), 409, 'ModuleAlreadyExistsOnDevice');
    assert.deepEqual(registry.getDevice('d1'), device);
    assert.deepEqual(registry.getModule('d1', 'm1'), module);
  });

  void it('answers 404 DeviceNotFound / ModuleNotFound', () => {
    const { registry } = newRegistry();
    expectHubError(() => registry.getDevice('nope'), 404, 'DeviceNotFound');
    expectHubError(() => registry.createModule('nope', 'm1', undefined), 404, 'DeviceNotFound');
    expectHubError(() => registry.getModule('nope', 'm1'), 404, 'DeviceNotFound');
    expectHubError(() => registry.deleteDevice('nope', undefined), 404, 'DeviceNotFound');
    registry.createDevice('d1', undefined);
    expectHubError(() => registry.getModule('d1', 'm1'), 404, 'ModuleNotFound');
    expectHubError(() => registry.deleteModule('d1', 'm1', undefined), 404, 'ModuleNotFound');
    expectHubError(() => registry.getTwin({ deviceId: 'd1', moduleId: 'm1' }), 404, 'ModuleNotFound');
  });

  void it('treats ids as case-sensitive', () => {
    const { registry } = newRegistry();
    registry.createDevice('Dev1', undefined);
    registry.createDevice('dev1', undefined);
    expectHubError(() => registry.getDevice('DEV1'), 404, 'DeviceNotFound');
    registry.createModule('dev1', 'Mod', undefined);
    registry.createModule('dev1', 'mod', undefined);
    assert.equal(registry.listModules('dev1').length, 2);
    assert.equal(registry.listModules('Dev1').length, 0);
  });

  void it('validates device and module ids with the documented character set and length', () => {
    const { registry } = newRegistry();
    const allowed = ["a-b.c%d_e*f?g!h(i)j,k:l=m@n$o'p", 'x'.repeat(128), 'A9'];
    for (const id of allowed) registry.createDevice(id, undefined);
    for (const id of allowed) registry.createModule('A9', id, undefined);
    for (const id of ['', 'x'.repeat(129), 'a b', 'a/b', 'a#b', 'a&b', 'ä', 'a\u0000']) {
      expectHubError(() => registry.createDevice(id, undefined), 400, 'ArgumentInvalid');
      expectHubError(() => registry.createModule('A9', id, undefined), 400, 'ArgumentInvalid');
    }
    assert.equal(registry.deviceCount(), allowed.length);
    assert.equal(registry.listModules('A9').length, allowed.length);
  });
});

void describe('IdentityRegistry: deletion', () => {
  void it('deletes a device only when If-Match is absent, * or its etag; 412 otherwise', () => {
    const { registry } = newRegistry();
    registry.createDevice('d1', undefined);
    expectHubError(() => registry.deleteDevice('d1', `"${etagForVersion(2)}"`), 412, 'PreconditionFailed');
    assert.equal(registry.getDevice('d1').deviceId, 'd1');
    registry.deleteDevice('d1', `"${etagForVersion(1)}"`);
    expectHubError(() => registry.getDevice('d1'), 404, 'DeviceNotFound');
    registry.createDevice('d2', undefined);
    registry.deleteDevice('d2', '*');
    registry.createDevice('d3', undefined);
    registry.deleteDevice('d3', undefined);
    assert.equal(registry.deviceCount(), 0);
  });

  void it('deletes a module with If-Match, refusing a stale etag', () => {
    const { registry } = newRegistry();
    registry.createDevice('d1', undefined);
    registry.createModule('d1', 'm1', undefined);
    expectHubError(() => registry.deleteModule('d1', 'm1', '"AAAAAAAAAAk="'), 412, 'PreconditionFailed');
    assert.equal(registry.listModules('d1').length, 1);
    registry.deleteModule('d1', 'm1', `"${etagForVersion(1)}"`);
    expectHubError(() => registry.getModule('d1', 'm1'), 404, 'ModuleNotFound');
  });

  void it('removes the modules of a deleted device, even when the id is registered again', () => {
    const { registry } = newRegistry();
    registry.createDevice('d1', undefined);
    registry.createModule('d1', 'm1', undefined);
    registry.deleteDevice('d1', undefined);
    assert.equal(registry.findIdentity({ deviceId: 'd1', moduleId: 'm1' }), undefined);
    const again = registry.createDevice('d1', undefined);
    assert.notEqual(again.generationId, 'gen-1');
    assert.deepEqual(registry.listModules('d1'), []);
    expectHubError(() => registry.getModule('d1', 'm1'), 404, 'ModuleNotFound');
  });

  void it('exports a device with its modules as stored, and imports it silently into another registry', () => {
    const { registry } = newRegistry();
    registry.createDevice('d1', undefined);
    registry.createModule('d1', 'm1', undefined);
    const exported = registry.exportDevice('d1');
    assert.deepEqual([exported?.device.deviceId, exported?.modules.map((module) => module.moduleId)], ['d1', ['m1']]);
    assert.equal(registry.exportDevice('nobody'), undefined);
    const other = newRegistry().registry;
    let announced = 0;
    other.changes.subscribe(() => { announced += 1; });
    if (exported !== undefined) other.importDevice(exported);
    assert.deepEqual([other.getDevice('d1'), other.getModule('d1', 'm1'), other.deviceCount(), announced], [exported?.device, exported?.modules[0], 1, 0]);
  });
});

