import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSasToken } from '../../emulator/state/sas.js';
import { identityOfResource, identityResource, verifyIdentityToken, verifyServiceToken, type TokenAuthContext } from '../../emulator/state/token-auth.js';
import { FOREIGN_KEY, HOST, newPolicies, newRegistry, policyNamed, START_SECONDS } from './fixtures.js';

const LATER = START_SECONDS + 600;

function setup() {
  const { registry } = newRegistry();
  const device = registry.createDevice('dev-1', undefined);
  const module = registry.createModule('dev-1', 'mod-1', undefined);
  const policies = newPolicies();
  const context: TokenAuthContext = { hostName: HOST, registry, policies: new Map(policies.map((policy) => [policy.name, policy])), nowSeconds: START_SECONDS };
  return { registry, device, module, policies, context };
}

const token = (resourceUri: string, base64Key: string, init: { expiry?: number; keyName?: string } = {}) =>
  createSasToken({ resourceUri, base64Key, expiry: init.expiry ?? LATER, ...(init.keyName === undefined ? {} : { keyName: init.keyName }) });

void describe('identity resources (token-auth.ts)', () => {
  void it('names a device and a module under the hub, and reads them back whatever the host name\'s case', () => {
    assert.equal(identityResource(HOST, { deviceId: 'dev-1' }), `${HOST}/devices/dev-1`);
    assert.equal(identityResource(HOST, { deviceId: 'dev-1', moduleId: 'mod-1' }), `${HOST}/devices/dev-1/modules/mod-1`);
    assert.deepEqual(identityOfResource(HOST, `${HOST}/devices/Dev-1`), { deviceId: 'Dev-1' });
    assert.deepEqual(identityOfResource(HOST.toUpperCase(), `${HOST}/devices/dev-1/modules/Mod-1`), { deviceId: 'dev-1', moduleId: 'Mod-1' });
    assert.deepEqual(identityOfResource(HOST, `${HOST.toUpperCase()}/DEVICES/dev-1`), { deviceId: 'dev-1' });
  });

  void it('reads no identity from any other resource', () => {
    for (const resource of [
      HOST, `${HOST}/devices`, `${HOST}/devices/`, `other.azure-devices.net/devices/dev-1`, `${HOST}/devices/dev-1/`, `${HOST}/devices/dev-1/modules`,
      `${HOST}/devices/dev-1/modules/`, `${HOST}/devices//modules/mod-1`, `${HOST}/devices/dev-1/things/mod-1`, `${HOST}/devices/dev-1/modules/mod-1/x`,
    ]) {
      assert.equal(identityOfResource(HOST, resource), undefined, resource);
    }
  });
});

void describe('device and module tokens (token-auth.ts)', () => {
  void it('grants the identity with the token\'s expiry, for the identity\'s keys or a DeviceConnect policy', () => {
    const { device, module, policies, context } = setup();
    const deviceResource = `${HOST}/devices/dev-1`;
    assert.deepEqual(verifyIdentityToken(token(deviceResource, device.keys.secondaryKey), { deviceId: 'dev-1' }, context), { ok: true, granted: { deviceId: 'dev-1' }, tokenExpiry: LATER });
    const moduleIdentity = { deviceId: 'dev-1', moduleId: 'mod-1' };
    assert.equal(verifyIdentityToken(token(`${deviceResource}/modules/mod-1`, module.keys.primaryKey), moduleIdentity, context).ok, true);
    assert.equal(verifyIdentityToken(token(HOST, policyNamed(policies, 'device').secondaryKey, { keyName: 'device' }), moduleIdentity, context).ok, true);
  });

  void it('refuses a policy token without DeviceConnect, an unknown policy, a token at its expiry second, and a module of a disabled device', () => {
    const { registry, module, policies, context } = setup();
    const moduleIdentity = { deviceId: 'dev-1', moduleId: 'mod-1' };
    const refusal = (text: string) => {
      const verdict = verifyIdentityToken(text, moduleIdentity, context);
      return verdict.ok ? 'granted' : verdict.reason;
    };
    assert.equal(refusal(token(HOST, policyNamed(policies, 'service').primaryKey, { keyName: 'service' })), 'the token signature does not match');
    assert.equal(refusal(token(HOST, FOREIGN_KEY, { keyName: 'nobody' })), 'the token signature does not match');
    assert.equal(refusal(token(`${HOST}/devices/dev-1/modules/mod-1`, module.keys.primaryKey, { expiry: START_SECONDS })), 'the token has expired');
    registry.updateDevice({ deviceId: 'dev-1', status: 'disabled' }, '*');
    assert.equal(refusal(token(`${HOST}/devices/dev-1/modules/mod-1`, module.keys.primaryKey)), 'the device is disabled');
  });
});

void describe('service tokens (token-auth.ts)', () => {
  void it('grants the policy a token names, signed with either of its keys, until its expiry second', () => {
    const { policies, context } = setup();
    const service = policyNamed(policies, 'service');
    assert.deepEqual(verifyServiceToken(token(HOST, service.secondaryKey, { keyName: 'service' }), context), { ok: true, granted: service, tokenExpiry: LATER });
    assert.equal(verifyServiceToken(token(`${HOST}/`, service.primaryKey, { keyName: 'service' }), context).ok, true);
  });

  void it('says why it refuses a service token', () => {
    const { policies, context } = setup();
    const owner = policyNamed(policies, 'iothubowner');
    const reason = (text: string) => {
      const verdict = verifyServiceToken(text, context);
      return verdict.ok ? 'granted' : verdict.reason;
    };
    assert.equal(reason('SharedAccessSignature nothing'), 'the credential is not a SAS token');
    assert.equal(reason(token(HOST, owner.primaryKey)), 'the token names no shared access policy (skn)');
    assert.equal(reason(token(HOST, owner.primaryKey, { keyName: 'ghost' })), "the token names policy 'ghost', which this hub does not have");
    assert.equal(reason(token(HOST, FOREIGN_KEY, { keyName: 'iothubowner' })), "the token is not signed by a key of policy 'iothubowner'");
    assert.equal(reason(token(HOST, owner.primaryKey, { keyName: 'iothubowner', expiry: START_SECONDS })), 'the token has expired');
    assert.equal(reason(token('other.azure-devices.net', owner.primaryKey, { keyName: 'iothubowner' })), 'the token\'s resource does not cover unit-hub.azure-devices.net');
  });
});
