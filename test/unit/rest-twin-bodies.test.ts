import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serializeDevice, serializeTwin } from '../../emulator/rest/serialize.js';
import { readServicePatch } from '../../emulator/rest/twins.js';
import { expectHubError } from './fixtures.js';
import { call, expectErrorResponse, jsonBody, newRestApi } from './rest-fixtures.js';

/**
 * Twin bodies (rest/twins.ts, rest/serialize.ts; swagger Twin, Device): what a PATCH or PUT may carry,
 * and which fields a twin or a device shows when.
 */
const READ_ONLY = [
  'deviceId', 'moduleId', 'etag', 'deviceEtag', 'version', 'status', 'statusReason', 'statusUpdateTime', 'connectionState', 'lastActivityTime',
  'cloudToDeviceMessageCount', 'authenticationType', 'x509Thumbprint', 'capabilities', 'modelId', 'deviceScope', 'parentScopes',
];

void describe('twin patches and replacements', () => {
  void it('ignores every read-only field a twin as read carries, and refuses any other field', () => {
    for (const field of READ_ONLY) assert.deepEqual(readServicePatch({ [field]: 'as read', tags: { a: 1 } }), { tags: { a: 1 }, desired: undefined }, field);
    assert.equal(expectHubError(() => readServicePatch({ colour: 'red' }), 400, 'ArgumentInvalid').message, "Unknown twin field 'colour'.");
    assert.equal(expectHubError(() => readServicePatch([]), 400, 'ArgumentInvalid').message, 'The twin patch must be a JSON object.');
  });

  void it('refuses reported properties in a patch, and any section but desired', () => {
    assert.equal(expectHubError(() => readServicePatch({ properties: { reported: { a: 1 } } }), 400, 'ArgumentInvalid').message, 'Reported properties can only be updated by the device.');
    assert.equal(expectHubError(() => readServicePatch({ properties: { wished: {} } }, true), 400, 'ArgumentInvalid').message, "Unknown twin properties section 'wished'.");
    assert.equal(expectHubError(() => readServicePatch({ properties: 'x' }), 400, 'ArgumentInvalid').message, 'properties must be an object.');
  });

  void it('reads a whole twin for a replacement: reported, $metadata and $version are the hub\'s and ignored', () => {
    const replacement = readServicePatch({ tags: { t: 1 }, properties: { desired: { rate: 5, $metadata: {}, $version: 4 }, reported: { seen: true } } }, true);
    assert.deepEqual(replacement, { tags: { t: 1 }, desired: { rate: 5 } });
    assert.deepEqual(readServicePatch({ properties: { desired: { rate: 5, $version: 4 } } }), { tags: undefined, desired: { rate: 5, $version: 4 } }, 'a patch keeps what it was given for the rules to judge');
    assert.deepEqual(readServicePatch({ properties: { desired: null } }, true), { tags: undefined, desired: null });
  });

  void it('replaces a twin over PUT with its reported section as the device left it', async () => {
    const fixture = newRestApi();
    fixture.registry.createDevice('d1', undefined);
    fixture.registry.patchReported({ deviceId: 'd1' }, { fw: '1.0' });
    const response = await call(fixture, 'PUT', '/twins/d1', { body: { tags: { site: 'a' }, properties: { desired: { rate: 2, $version: 99 }, reported: { fw: 'forged' } } } });
    const twin = jsonBody(response) as { tags: unknown; properties: { desired: Record<string, unknown>; reported: Record<string, unknown> } };
    assert.deepEqual([twin.tags, twin.properties.desired.rate, twin.properties.reported.fw], [{ site: 'a' }, 2, '1.0']);
    assert.match(expectErrorResponse(await call(fixture, 'PATCH', '/twins/d1', { body: { properties: { reported: { fw: 'x' } } } }), 400, 'ArgumentInvalid'), /only be updated by the device/);
  });
});

void describe('twin and device views', () => {
  function records() {
    const fixture = newRestApi();
    const plain = fixture.registry.createDevice('plain', undefined);
    const edge = fixture.registry.addDevice({ deviceId: 'edge', iotEdge: true, status: 'disabled', statusReason: 'stock' });
    const module = fixture.registry.createModule('plain', 'm1', undefined);
    const x509 = fixture.registry.addDevice({ deviceId: 'x509', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'AB'.repeat(20) } } });
    return { plain, edge, module, x509 };
  }

  void it('shows a device twin\'s capabilities and scopes, and its status reason only when it has one', () => {
    const { plain, edge } = records();
    const plainTwin = serializeTwin(plain, plain);
    assert.deepEqual([plainTwin.capabilities, plainTwin.parentScopes, 'deviceScope' in plainTwin, 'statusReason' in plainTwin, 'moduleId' in plainTwin], [{ iotEdge: false }, [], false, false, false]);
    assert.deepEqual([plainTwin.modelId, plainTwin.authenticationType, plainTwin.x509Thumbprint], ['', 'sas', { primaryThumbprint: null, secondaryThumbprint: null }]);
    const edgeTwin = serializeTwin(edge, edge);
    assert.deepEqual([edgeTwin.capabilities, edgeTwin.deviceScope, edgeTwin.statusReason, edgeTwin.status], [{ iotEdge: true }, edge.deviceScope, 'stock', 'disabled']);
  });

  void it('shows a module twin\'s module id and its device\'s status, without the device\'s capabilities or scopes', () => {
    const { plain, module } = records();
    const twin = serializeTwin(module, plain);
    assert.deepEqual([twin.moduleId, twin.status, 'capabilities' in twin, 'parentScopes' in twin, 'deviceScope' in twin], ['m1', 'enabled', false, false, false]);
  });

  void it('shows a device\'s thumbprints and capabilities, and no keys for an X.509 device', () => {
    const { edge, x509 } = records();
    const view = serializeDevice(x509);
    assert.deepEqual(view.authentication, { symmetricKey: { primaryKey: null, secondaryKey: null }, x509Thumbprint: { primaryThumbprint: 'AB'.repeat(20), secondaryThumbprint: null }, type: 'selfSigned' });
    assert.deepEqual([serializeDevice(edge).capabilities, serializeDevice(edge, 3).cloudToDeviceMessageCount], [{ iotEdge: true }, 3]);
  });
});
