import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertEtag, newDeviceRecord, updatedDeviceRecord, updatedModuleRecord } from '../../emulator/state/device-records.js';
import { MAX_STATUS_REASON_LENGTH } from '../../emulator/state/identity-spec.js';
import { NEVER } from '../../emulator/state/identity.js';
import { expectHubError, newRegistry } from './fixtures.js';

/** The registry's record builders (device-records.ts): what a create or an update keeps, replaces and stamps. */
const NOW = '2026-02-02T00:00:00.000Z';
const NO_SCOPES = { deviceScope: undefined, parentScopes: [] };

function records() {
  const { registry } = newRegistry();
  const device = registry.addDevice({ deviceId: 'd1', status: 'disabled', statusReason: 'maintenance', iotEdge: true });
  const module = registry.createModule('d1', 'm1', undefined);
  const auth = { keys: device.keys, authentication: device.authentication };
  return { device, module, auth };
}

void describe('device and module records (device-records.ts)', () => {
  void it('creates an enabled device with no status reason, no status time, and no edge capability unless asked', () => {
    const { device } = records();
    const created = newDeviceRecord(device, { deviceId: 'd2' }, NO_SCOPES, NOW);
    assert.deepEqual([created.status, created.statusReason, created.statusUpdatedTime, created.iotEdge], ['enabled', null, NEVER, false]);
  });

  void it('stamps the status time of a device created disabled, and keeps its reason and capability', () => {
    const { device } = records();
    const created = newDeviceRecord(device, { deviceId: 'd2', status: 'disabled', statusReason: 'stock', iotEdge: true }, NO_SCOPES, NOW);
    assert.deepEqual([created.status, created.statusReason, created.statusUpdatedTime, created.iotEdge], ['disabled', 'stock', NOW, true]);
  });

  void it('keeps on update what the body leaves out, and advances the revision by one', () => {
    const { device, auth } = records();
    const updated = updatedDeviceRecord(device, { spec: { deviceId: 'd1' }, auth, scopes: NO_SCOPES, now: NOW });
    assert.deepEqual([updated.status, updated.statusReason, updated.statusUpdatedTime, updated.iotEdge], [device.status, 'maintenance', device.statusUpdatedTime, true]);
    assert.equal(updated.revision, device.revision + 1);
  });

  void it('replaces on update what the body names, stamping the status time only when the status changes', () => {
    const { device, auth } = records();
    const same = updatedDeviceRecord(device, { spec: { deviceId: 'd1', status: 'disabled', statusReason: null, iotEdge: false }, auth, scopes: NO_SCOPES, now: NOW });
    assert.deepEqual([same.statusReason, same.statusUpdatedTime, same.iotEdge], [null, device.statusUpdatedTime, false]);
    const enabled = updatedDeviceRecord(device, { spec: { deviceId: 'd1', status: 'enabled' }, auth, scopes: NO_SCOPES, now: NOW });
    assert.deepEqual([enabled.status, enabled.statusUpdatedTime], ['enabled', NOW]);
  });

  void it('keeps a module\'s managedBy unless the body names it, and advances its revision by one', () => {
    const { module, auth } = records();
    const managed = updatedModuleRecord(module, { deviceId: 'd1', moduleId: 'm1', managedBy: 'edge' }, auth);
    assert.deepEqual([managed.managedBy, managed.revision], ['edge', module.revision + 1]);
    assert.equal(updatedModuleRecord(managed, { deviceId: 'd1', moduleId: 'm1' }, auth).managedBy, 'edge');
    assert.equal(updatedModuleRecord(managed, { deviceId: 'd1', moduleId: 'm1', managedBy: null }, auth).managedBy, null);
  });

  void it(`takes a status reason of ${MAX_STATUS_REASON_LENGTH} characters and refuses a longer one, on create and on update`, () => {
    const { device, auth } = records();
    const reason = 'r'.repeat(MAX_STATUS_REASON_LENGTH);
    assert.equal(newDeviceRecord(device, { deviceId: 'd2', statusReason: reason }, NO_SCOPES, NOW).statusReason, reason);
    const tooLong = `${reason}r`;
    const message = `statusReason is longer than ${MAX_STATUS_REASON_LENGTH} characters.`;
    assert.equal(expectHubError(() => newDeviceRecord(device, { deviceId: 'd2', statusReason: tooLong }, NO_SCOPES, NOW), 400, 'ArgumentInvalid').message, message);
    assert.equal(expectHubError(() => updatedDeviceRecord(device, { spec: { deviceId: 'd1', statusReason: tooLong }, auth, scopes: NO_SCOPES, now: NOW }), 400, 'ArgumentInvalid').message, message);
  });

  void it('refuses a mismatched etag with 412, quoting the etag it was given', () => {
    assert.doesNotThrow(() => assertEtag(true, 'device', '"x"'));
    const error = expectHubError(() => assertEtag(false, 'device', '"stale"'), 412, 'PreconditionFailed');
    assert.equal(error.message, 'The device etag "stale" does not match the current one.');
    assert.equal(expectHubError(() => assertEtag(false, 'module', undefined), 412, 'PreconditionFailed').message, 'The module etag  does not match the current one.');
  });
});
