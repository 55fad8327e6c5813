import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_MODULES_PER_DEVICE } from '../../emulator/state/registry.js';
import { errorCodeOf, RestFixture, type Parsed } from './rest-fixture.js';

/** Registry rules, through the REST API as the SDKs call it: each case fails if the emulator breaks the rule. */
interface DeviceBody {
  etag: string;
  status: string;
  statusReason: string | null;
  statusUpdatedTime: string;
  generationId: string;
  deviceScope?: string;
  parentScopes?: string[];
  authentication: { type: string; symmetricKey: { primaryKey: string | null }; x509Thumbprint: { primaryThumbprint: string | null } };
}

const device = (parsed: Parsed): DeviceBody => parsed.body as DeviceBody;

function expectError(parsed: Parsed, status: number, code: string): void {
  assert.equal(parsed.status, status, JSON.stringify(parsed.body));
  assert.equal(errorCodeOf(parsed), code);
  assert.equal(parsed.headers['iothub-errorcode'], code);
}

void describe('device update', () => {
  void it('needs the current etag or *, advances the etag and stamps a status change', async () => {
    const hub = new RestFixture();
    const created = device(await hub.call('PUT', '/devices/d', { body: { deviceId: 'd' } }));
    hub.clock.advanceSeconds(5);
    const updated = await hub.call('PUT', '/devices/d', { body: { deviceId: 'd', status: 'disabled', statusReason: 'stolen' }, headers: { 'if-match': `"${created.etag}"` } });
    assert.equal(updated.status, 200);
    assert.notEqual(device(updated).etag, created.etag);
    assert.equal(device(updated).statusReason, 'stolen');
    assert.equal(device(updated).statusUpdatedTime, '2026-01-01T00:00:05.000Z');
    assert.equal(device(updated).generationId, created.generationId);
    const stale = await hub.call('PUT', '/devices/d', { body: { deviceId: 'd', status: 'enabled' }, headers: { 'if-match': `"${created.etag}"` } });
    expectError(stale, 412, 'PreconditionFailed');
    assert.equal(device(await hub.call('GET', '/devices/d')).status, 'disabled', 'a refused update changes nothing');
    assert.equal((await hub.call('PUT', '/devices/d', { body: { deviceId: 'd', status: 'enabled' }, headers: { 'if-match': '*' } })).status, 200);
  });

  void it('of a device that does not exist is 404, and a create of one that does is 409', async () => {
    const hub = new RestFixture();
    expectError(await hub.call('PUT', '/devices/nope', { body: { deviceId: 'nope' }, headers: { 'if-match': '*' } }), 404, 'DeviceNotFound');
    await hub.call('PUT', '/devices/d', { body: { deviceId: 'd' } });
    expectError(await hub.call('PUT', '/devices/d', { body: { deviceId: 'd' } }), 409, 'DeviceAlreadyExists');
  });

  void it('that disables a device, or a delete, is announced as revoking the device and its modules', async () => {
    const hub = new RestFixture();
    await hub.call('PUT', '/devices/d', { body: { deviceId: 'd' } });
    await hub.call('PUT', '/devices/d/modules/m', { body: { deviceId: 'd', moduleId: 'm' } });
    await hub.call('PUT', '/devices/d', { body: { deviceId: 'd', status: 'disabled' }, headers: { 'if-match': '*' } });
    await hub.call('DELETE', '/devices/d', { headers: { 'if-match': '*' } });
    assert.deepEqual(hub.revoked, [
      { identity: { deviceId: 'd', moduleId: 'm' }, reason: 'disabled' },
      { identity: { deviceId: 'd' }, reason: 'disabled' },
      { identity: { deviceId: 'd', moduleId: 'm' }, reason: 'deleted' },
      { identity: { deviceId: 'd' }, reason: 'deleted' },
    ]);
    expectError(await hub.call('GET', '/twins/d/modules/m'), 404, 'DeviceNotFound');
  });
});

void describe('authentication types', () => {
  void it('keeps given SAS keys and refuses keys that are not base64 of 16-64 bytes', async () => {
    const hub = new RestFixture();
    const key = Buffer.alloc(16, 7).toString('base64');
    const created = device(await hub.call('PUT', '/devices/d', { body: { deviceId: 'd', authentication: { type: 'sas', symmetricKey: { primaryKey: key, secondaryKey: key } } } }));
    assert.equal(created.authentication.symmetricKey.primaryKey, key);
    for (const bad of [Buffer.alloc(15).toString('base64'), Buffer.alloc(65).toString('base64'), 'not base64!']) {
      expectError(await hub.call('PUT', '/devices/e', { body: { deviceId: 'e', authentication: { type: 'sas', symmetricKey: { primaryKey: bad } } } }), 400, 'ArgumentInvalid');
    }
  });

  void it('stores X.509 thumbprints and never shows keys for them', async () => {
    const hub = new RestFixture();
    const body = { deviceId: 'x', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'ab'.repeat(20) } } };
    const created = device(await hub.call('PUT', '/devices/x', { body }));
    assert.equal(created.authentication.type, 'selfSigned');
    assert.equal(created.authentication.x509Thumbprint.primaryThumbprint, 'AB'.repeat(20));
    assert.equal(created.authentication.symmetricKey.primaryKey, null);
    expectError(await hub.call('PUT', '/devices/y', { body: { deviceId: 'y', authentication: { type: 'selfSigned' } } }), 400, 'ArgumentInvalid');
    expectError(await hub.call('PUT', '/devices/z', { body: { deviceId: 'z', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'xyz' } } } }), 400, 'ArgumentInvalid');
    assert.equal(device(await hub.call('PUT', '/devices/c', { body: { deviceId: 'c', authentication: { type: 'certificateAuthority' } } })).authentication.type, 'certificateAuthority');
  });
});

void describe('IoT Edge scopes', () => {
  void it('gives edge devices a scope, keeps a leaf device scope and refuses a scope naming no edge device', async () => {
    const hub = new RestFixture();
    const edge = device(await hub.call('PUT', '/devices/edge', { body: { deviceId: 'edge', capabilities: { iotEdge: true } } }));
    assert.match(edge.deviceScope ?? '', /^ms-azure-iot-edge:\/\/edge-/);
    const leaf = device(await hub.call('PUT', '/devices/leaf', { body: { deviceId: 'leaf', deviceScope: edge.deviceScope } }));
    assert.equal(leaf.deviceScope, edge.deviceScope);
    assert.deepEqual(leaf.parentScopes, [edge.deviceScope]);
    assert.equal(device(await hub.call('GET', '/devices/leaf')).deviceScope, edge.deviceScope);
    expectError(await hub.call('PUT', '/devices/orphan', { body: { deviceId: 'orphan', deviceScope: 'ms-azure-iot-edge://nobody-1' } }), 400, 'InvalidDeviceScope');
    const plain = device(await hub.call('PUT', '/devices/plain', { body: { deviceId: 'plain' } }));
    expectError(await hub.call('PUT', '/devices/leaf2', { body: { deviceId: 'leaf2', deviceScope: plain.deviceScope ?? 'ms-azure-iot-edge://plain-gen' } }), 400, 'InvalidDeviceScope');
  });
});

void describe('modules', () => {
  void it(`are limited to ${MAX_MODULES_PER_DEVICE} per device`, async () => {
    const hub = new RestFixture();
    await hub.call('PUT', '/devices/d', { body: { deviceId: 'd' } });
    for (let index = 0; index < MAX_MODULES_PER_DEVICE; index++) {
      assert.equal((await hub.call('PUT', `/devices/d/modules/m${index}`, { body: {} })).status, 200);
    }
    expectError(await hub.call('PUT', '/devices/d/modules/one-too-many', { body: {} }), 403, 'TooManyModulesOnDevice');
  });

  void it('update with an etag, keep managedBy, and refuse a stale etag', async () => {
    const hub = new RestFixture();
    await hub.call('PUT', '/devices/d', { body: { deviceId: 'd' } });
    const created = device(await hub.call('PUT', '/devices/d/modules/m', { body: { managedBy: 'IotEdge' } }));
    const updated = await hub.call('PUT', '/devices/d/modules/m', { body: {}, headers: { 'if-match': `"${created.etag}"` } });
    assert.equal((updated.body as { managedBy: string }).managedBy, 'IotEdge');
    expectError(await hub.call('PUT', '/devices/d/modules/m', { body: {}, headers: { 'if-match': `"${created.etag}"` } }), 412, 'PreconditionFailed');
  });
});

void describe('bulk registry operations', () => {
  void it('apply each entry, report failures per device, and refuse a device named twice', async () => {
    const hub = new RestFixture();
    const ok = await hub.call('POST', '/devices', { body: [{ id: 'a', importMode: 'create' }, { id: 'b', importMode: 'create' }] });
    assert.deepEqual(ok.body, { isSuccessful: true, errors: [], warnings: [] });
    const mixed = await hub.call('POST', '/devices', { body: [{ id: 'a', importMode: 'create' }, { id: 'b', importMode: 'Delete' }] });
    assert.equal(mixed.status, 400);
    assert.deepEqual((mixed.body as { errors: { deviceId: string; errorCode: string }[] }).errors.map((e) => [e.deviceId, e.errorCode]), [['a', 'DeviceAlreadyExists']]);
    expectError(await hub.call('GET', '/devices/b'), 404, 'DeviceNotFound');
    expectError(await hub.call('POST', '/devices', { body: [{ id: 'c', importMode: 'create' }, { id: 'c', importMode: 'create' }] }), 400, 'DeviceDefinedMultipleTimes');
    expectError(await hub.call('GET', '/devices/c'), 404, 'DeviceNotFound');
    const stale = await hub.call('POST', '/devices', { body: [{ id: 'a', importMode: 'UpdateIfMatchETag', etag: 'stale', status: 'disabled' }] });
    assert.equal((stale.body as { errors: { errorCode: string }[] }).errors[0]?.errorCode, 'PreconditionFailed');
    expectError(await hub.call('POST', '/devices', { body: Array.from({ length: 101 }, (_, i) => ({ id: `n${i}`, importMode: 'create' })) }), 400, 'ArgumentInvalid');
  });
});

void describe('listing devices', () => {
  void it('returns devices in creation order, at most top', async () => {
    const hub = new RestFixture();
    for (const id of ['a', 'b', 'c']) await hub.call('PUT', `/devices/${id}`, { body: {} });
    assert.deepEqual(((await hub.call('GET', '/devices?top=2')).body as { deviceId: string }[]).map((d) => d.deviceId), ['a', 'b']);
    assert.equal(((await hub.call('GET', '/devices')).body as unknown[]).length, 3);
  });
});
