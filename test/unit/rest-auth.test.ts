import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { FOREIGN_KEY, HOST, policyNamed, START_SECONDS } from './fixtures.js';
import { call, expectErrorResponse, newRestApi, serviceToken, type RestFixture } from './rest-fixtures.js';

async function withDevice(): Promise<RestFixture> {
  const fixture = newRestApi();
  assert.equal((await call(fixture, 'PUT', '/devices/d1', { body: { deviceId: 'd1' } })).status, 200);
  return fixture;
}

function policy(fixture: RestFixture, name: string) {
  return policyNamed(fixture.policies, name);
}

/** Every key a message could leak: policy keys and identity keys. */
function allKeys(fixture: RestFixture): string[] {
  const keys = fixture.registry.findIdentity({ deviceId: 'd1' })?.keys;
  const identityKeys = keys === undefined ? [] : [keys.primaryKey, keys.secondaryKey];
  return [...fixture.policies.flatMap((p) => [p.primaryKey, p.secondaryKey]), ...identityKeys, FOREIGN_KEY];
}

function assertNoKeyIn(fixture: RestFixture, response: RestResponse): void {
  for (const key of allKeys(fixture)) {
    assert.equal((response.body ?? '').includes(key), false, 'a key appears in the error body');
    assert.equal((response.body ?? '').includes(encodeURIComponent(key)), false, 'an encoded key appears in the error body');
  }
}

async function expectUnauthorized(fixture: RestFixture, authorization: string | null, method = 'GET', path = '/devices/d1'): Promise<void> {
  const response = await call(fixture, method, path, { authorization, body: method === 'PUT' ? {} : undefined });
  expectErrorResponse(response, 401, 'IotHubUnauthorizedAccess');
  assertNoKeyIn(fixture, response);
}

void describe('REST service authentication', () => {
  void it('accepts a token signed with the policy primary or secondary key', async () => {
    const fixture = await withDevice();
    const owner = policy(fixture, 'iothubowner');
    assert.equal((await call(fixture, 'GET', '/devices/d1', { authorization: serviceToken(owner) })).status, 200);
    assert.equal((await call(fixture, 'GET', '/devices/d1', { authorization: serviceToken(owner, { key: owner.secondaryKey }) })).status, 200);
  });

  void it('answers 401 without an Authorization header or with a malformed one', async () => {
    const fixture = await withDevice();
    await expectUnauthorized(fixture, null);
    await expectUnauthorized(fixture, 'Bearer abc');
    await expectUnauthorized(fixture, 'SharedAccessSignature sr=x&sig=y');
    await expectUnauthorized(fixture, serviceToken(policy(fixture, 'iothubowner')).replace(/&skn=[^&]*/, ''));
  });

  void it('answers 401 for an expired token (expiry is now or earlier)', async () => {
    const fixture = await withDevice();
    const owner = policy(fixture, 'iothubowner');
    await expectUnauthorized(fixture, serviceToken(owner, { expiry: START_SECONDS }));
    await expectUnauthorized(fixture, serviceToken(owner, { expiry: START_SECONDS - 1 }));
    assert.equal((await call(fixture, 'GET', '/devices/d1', { authorization: serviceToken(owner, { expiry: START_SECONDS + 1 }) })).status, 200);
  });

  void it('answers 401 when the clock passes the token expiry', async () => {
    const fixture = await withDevice();
    const token = serviceToken(policy(fixture, 'iothubowner'), { expiry: START_SECONDS + 60 });
    assert.equal((await call(fixture, 'GET', '/devices/d1', { authorization: token })).status, 200);
    fixture.clock.advanceSeconds(60);
    await expectUnauthorized(fixture, token);
  });

  void it('answers 401 for a wrong key, another policy key, or an unknown policy name', async () => {
    const fixture = await withDevice();
    const owner = policy(fixture, 'iothubowner');
    await expectUnauthorized(fixture, serviceToken(owner, { key: FOREIGN_KEY }));
    await expectUnauthorized(fixture, serviceToken(owner, { key: policy(fixture, 'service').primaryKey }));
    await expectUnauthorized(fixture, serviceToken({ ...owner, name: 'nobody' }));
  });

  void it('answers 401 for a token for another hub or for a narrower resource', async () => {
    const fixture = await withDevice();
    const owner = policy(fixture, 'iothubowner');
    await expectUnauthorized(fixture, serviceToken(owner, { resourceUri: 'other-hub.azure-devices.net' }));
    await expectUnauthorized(fixture, serviceToken(owner, { resourceUri: `${HOST}/devices/d1` }));
    assert.equal((await call(fixture, 'GET', '/devices/d1', { authorization: serviceToken(owner, { resourceUri: HOST.toUpperCase() }) })).status, 200);
  });

  void it('answers 401 when the policy lacks the permission the operation needs, changing nothing', async () => {
    const fixture = await withDevice();
    const token = (name: string) => serviceToken(policy(fixture, name));
    await expectUnauthorized(fixture, token('registryRead'), 'PUT', '/devices/d2');
    await expectUnauthorized(fixture, token('registryRead'), 'DELETE', '/devices/d1');
    await expectUnauthorized(fixture, token('service'), 'PUT', '/devices/d2');
    await expectUnauthorized(fixture, token('service'), 'GET', '/devices/d1');
    await expectUnauthorized(fixture, token('device'), 'GET', '/devices/d1');
    await expectUnauthorized(fixture, token('registryReadWrite'), 'GET', '/twins/d1');
    assert.equal(fixture.registry.deviceCount(), 1);
  });

  void it('grants each operation to the policies with its permission', async () => {
    const fixture = await withDevice();
    const token = (name: string) => serviceToken(policy(fixture, name));
    assert.equal((await call(fixture, 'GET', '/devices/d1', { authorization: token('registryRead') })).status, 200);
    const created = await call(fixture, 'PUT', '/devices/d2', { authorization: token('registryReadWrite'), body: {} });
    assert.equal(created.status, 200);
    assert.equal((await call(fixture, 'GET', '/twins/d1', { authorization: token('service') })).status, 200);
  });

  void it('never echoes a key in error messages, whatever the failure', async () => {
    const fixture = await withDevice();
    const deviceKey = fixture.registry.getDevice('d1').keys.primaryKey;
    const failures = [
      await call(fixture, 'PUT', '/devices/d3', { body: { authentication: { symmetricKey: { primaryKey: 'short' } } } }),
      await call(fixture, 'PUT', '/devices/d1', { body: { authentication: { symmetricKey: { primaryKey: deviceKey } } } }),
      await call(fixture, 'GET', '/devices/d1', { authorization: `SharedAccessSignature sr=${HOST}&sig=${deviceKey}&se=1&skn=iothubowner` }),
      await call(fixture, 'GET', '/devices/d1', { authorization: serviceToken(policy(fixture, 'service'), { key: deviceKey }) }),
    ];
    for (const response of failures) {
      assert.ok(response.status >= 400, `expected an error, got ${response.status}`);
      assertNoKeyIn(fixture, response);
    }
  });

  void it('does not quote a malformed body (which may hold a key) in the JSON error', async () => {
    const fixture = await withDevice();
    const key = Buffer.from('secret-key-not-to-be-echoed-0123').toString('base64');
    for (const body of [`{"authentication":{"symmetricKey":{"primaryKey": ${key}}}}`, key]) {
      const response = await call(fixture, 'PUT', '/devices/d9', { body });
      expectErrorResponse(response, 400, 'ArgumentInvalid');
      assert.equal((response.body ?? '').includes(key.slice(0, 8)), false, `error body quotes the request: ${response.body ?? ''}`);
    }
  });
});
