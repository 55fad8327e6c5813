import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import common from 'azure-iot-common';
import { authenticateConnect, type ConnectAuthContext, type ConnectCredentials } from '../../emulator/mqtt/connect-auth.js';
import { identityFromClientId } from '../../emulator/state/identity.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { FOREIGN_KEY, HOST, newPolicies, newRegistry, policyNamed, START_SECONDS } from './fixtures.js';

const MODULE_RESOURCE = `${HOST}/devices/d1/modules/m1`;
const USERNAME = `${HOST}/d1/m1/?api-version=2021-04-12&DeviceClientType=azure-iot-device%2F1.18.4`;

function setup() {
  const { registry } = newRegistry();
  registry.createDevice('d1', undefined);
  const module = registry.createModule('d1', 'm1', undefined);
  const policies = newPolicies();
  const context: ConnectAuthContext = {
    hostName: HOST,
    registry,
    policies: new Map(policies.map((p) => [p.name, p])),
    nowSeconds: START_SECONDS,
  };
  const token = (init: { key?: string; resourceUri?: string; expiry?: number; keyName?: string } = {}) =>
    createSasToken({
      resourceUri: init.resourceUri ?? MODULE_RESOURCE,
      base64Key: init.key ?? module.keys.primaryKey,
      expiry: init.expiry ?? START_SECONDS + 3600,
      ...(init.keyName === undefined ? {} : { keyName: init.keyName }),
    });
  return { registry, module, policies, context, token };
}

function credentials(password: string | undefined, overrides: Partial<ConnectCredentials> = {}): ConnectCredentials {
  return { clientId: 'd1/m1', username: USERNAME, password: password === undefined ? undefined : Buffer.from(password), ...overrides };
}

function refusedReason(verdict: ReturnType<typeof authenticateConnect>): string {
  assert.equal(verdict.ok, false, 'CONNECT is refused');
  return verdict.reason;
}

void describe('authenticateConnect: accepted', () => {
  void it('accepts a module token signed with the primary or the secondary key', () => {
    const { context, module, token } = setup();
    for (const key of [module.keys.primaryKey, module.keys.secondaryKey]) {
      assert.deepEqual(authenticateConnect(credentials(token({ key })), context), { ok: true, identity: { deviceId: 'd1', moduleId: 'm1' }, tokenExpiry: START_SECONDS + 3600 });
    }
  });

  void it('accepts the token the device SDK makes (percent-encoded sr, azure-iot-common signing)', () => {
    const { context, module } = setup();
    const sdkToken = common.SharedAccessSignature.create(common.encodeUriComponentStrict(MODULE_RESOURCE), '', module.keys.primaryKey, START_SECONDS + 3600);
    assert.equal(authenticateConnect(credentials(sdkToken.toString()), context).ok, true);
  });

  void it('accepts a device connecting with its own token', () => {
    const { context, registry, token } = setup();
    const key = registry.getDevice('d1').keys.primaryKey;
    const verdict = authenticateConnect(
      { clientId: 'd1', username: `${HOST}/d1/?api-version=2021-04-12`, password: Buffer.from(token({ key, resourceUri: `${HOST}/devices/d1` })) },
      context,
    );
    assert.deepEqual(verdict, { ok: true, identity: { deviceId: 'd1' }, tokenExpiry: START_SECONDS + 3600 });
  });

  void it('accepts a token of a hub policy with DeviceConnect, refuses one without', () => {
    const { context, policies, token } = setup();
    const device = policyNamed(policies, 'device');
    assert.equal(authenticateConnect(credentials(token({ key: device.primaryKey, keyName: 'device' })), context).ok, true);
    const service = policyNamed(policies, 'service');
    refusedReason(authenticateConnect(credentials(token({ key: service.primaryKey, keyName: 'service' })), context));
    refusedReason(authenticateConnect(credentials(token({ key: device.primaryKey, keyName: 'nobody' })), context));
  });
});

void describe('authenticateConnect: refused', () => {
  void it('refuses a token signed with another key (including the device key for a module)', () => {
    const { context, registry, token } = setup();
    assert.match(refusedReason(authenticateConnect(credentials(token({ key: FOREIGN_KEY })), context)), /signature/);
    refusedReason(authenticateConnect(credentials(token({ key: registry.getDevice('d1').keys.primaryKey })), context));
  });

  void it('refuses an expired token', () => {
    const { context, token } = setup();
    assert.match(refusedReason(authenticateConnect(credentials(token({ expiry: START_SECONDS })), context)), /expired/);
    refusedReason(authenticateConnect(credentials(token({ expiry: START_SECONDS - 60 })), context));
  });

  void it('refuses a token for another resource', () => {
    const { context, token } = setup();
    for (const resourceUri of [`${HOST}/devices/d1/modules/m2`, `${HOST}/devices/d2`, `other-hub.azure-devices.net/devices/d1/modules/m1`]) {
      assert.match(refusedReason(authenticateConnect(credentials(token({ resourceUri })), context)), /resource/, resourceUri);
    }
  });

  void it('refuses a username for another hub or another client id, or without api-version', () => {
    const { context, token } = setup();
    const usernames = [
      `other-hub.azure-devices.net/d1/m1/?api-version=2021-04-12`,
      `${HOST}/d1/m2/?api-version=2021-04-12`,
      `${HOST}/d2/m1/?api-version=2021-04-12`,
      `${HOST}/d1/m1/?DeviceClientType=x`,
      `${HOST}/d1/m1/`,
      // Ids are case-sensitive: a username naming D1/M1 does not speak for d1/m1.
      `${HOST}/D1/M1/?api-version=2021-04-12`,
      // The hub's name as a prefix of a longer name, another name of the same length, and a port that is not a number.
      `${HOST}x/d1/m1/?api-version=2021-04-12`,
      `x${HOST.slice(1)}/d1/m1/?api-version=2021-04-12`,
      `${HOST}:port/d1/m1/?api-version=2021-04-12`,
      `${HOST}:188830/d1/m1/?api-version=2021-04-12`,
      undefined,
    ];
    for (const username of usernames) {
      refusedReason(authenticateConnect(credentials(token(), { username }), context));
    }
  });

  void it('compares the host name in the username without regard to case, and takes it with a port', () => {
    const { context, token } = setup();
    for (const host of [HOST.toUpperCase(), `${HOST}:8`, `${HOST}:18883`]) {
      assert.equal(authenticateConnect(credentials(token(), { username: `${host}/d1/m1/?api-version=2021-04-12` }), context).ok, true, host);
    }
  });

  void it('refuses an unknown identity even with a well-formed token', () => {
    const { context, module } = setup();
    const password = createSasToken({ resourceUri: `${HOST}/devices/d1/modules/m9`, base64Key: module.keys.primaryKey, expiry: START_SECONDS + 60 });
    const verdict = authenticateConnect({ clientId: 'd1/m9', username: `${HOST}/d1/m9/?api-version=2021-04-12`, password: Buffer.from(password) }, context);
    assert.match(refusedReason(verdict), /not registered/);
  });

  void it('refuses a missing or non-SAS password', () => {
    const { context } = setup();
    refusedReason(authenticateConnect(credentials(undefined), context));
    refusedReason(authenticateConnect(credentials('hunter2'), context));
  });

  void it('reads a device or a module from a client id', () => {
    assert.deepEqual(identityFromClientId('d1'), { deviceId: 'd1' });
    assert.deepEqual(identityFromClientId('d1/m1'), { deviceId: 'd1', moduleId: 'm1' });
  });

  void it('refuses malformed client ids', () => {
    const { context, token } = setup();
    for (const clientId of ['', '/m1', 'd1/', 'd1/m1/x', '/']) {
      assert.equal(identityFromClientId(clientId), undefined, clientId);
      refusedReason(authenticateConnect(credentials(token(), { clientId, username: `${HOST}/${clientId}/?api-version=2021-04-12` }), context));
    }
  });

  void it('never names a key in its reasons', () => {
    const { context, module, token } = setup();
    const reasons = [
      refusedReason(authenticateConnect(credentials(token({ key: FOREIGN_KEY })), context)),
      refusedReason(authenticateConnect(credentials(module.keys.primaryKey), context)),
    ];
    for (const reason of reasons) {
      assert.equal(reason.includes(module.keys.primaryKey), false);
      assert.equal(reason.includes(FOREIGN_KEY), false);
    }
  });
});
