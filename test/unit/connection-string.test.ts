import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildConnectionString, buildModuleConnectionString, describeServiceConnection, parseConnectionString } from '../../src/connection-string.js';
import { HOST, keyFromSeed } from './fixtures.js';

const KEY = keyFromSeed(1);
const PADDED_KEY = Buffer.alloc(16, 3).toString('base64');

void describe('parseConnectionString', () => {
  void it('splits Name=value pairs on the first = only, keeping base64 padding', () => {
    assert.ok(PADDED_KEY.endsWith('=='));
    const fields = parseConnectionString(`HostName=${HOST};SharedAccessKeyName=iothubowner;SharedAccessKey=${PADDED_KEY}`);
    assert.deepEqual(Object.fromEntries(fields), { HostName: HOST, SharedAccessKeyName: 'iothubowner', SharedAccessKey: PADDED_KEY });
  });

  void it('ignores empty parts such as a trailing ;', () => {
    assert.deepEqual(Object.fromEntries(parseConnectionString(`HostName=${HOST};;DeviceId=d1;`)), { HostName: HOST, DeviceId: 'd1' });
  });

  void it('refuses a part without a name or without =', () => {
    assert.throws(() => parseConnectionString(`HostName=${HOST};garbage`), /malformed/);
    assert.throws(() => parseConnectionString(`=value;HostName=${HOST}`), /malformed/);
  });

  void it('does not echo the connection string (and so the key) in its error', () => {
    assert.throws(
      () => parseConnectionString(`SharedAccessKey=${KEY};oops`),
      (error: unknown) => error instanceof Error && !error.message.includes(KEY),
    );
  });
});

void describe('buildModuleConnectionString', () => {
  void it('writes the portal form, which parses back to the same fields', () => {
    const text = buildModuleConnectionString({ hostName: HOST, deviceId: 'd1', moduleId: 'm1', sharedAccessKey: PADDED_KEY });
    assert.equal(text, `HostName=${HOST};DeviceId=d1;ModuleId=m1;SharedAccessKey=${PADDED_KEY}`);
    assert.equal(parseConnectionString(text).get('SharedAccessKey'), PADDED_KEY);
    assert.equal(parseConnectionString(text).has('GatewayHostName'), false);
  });

  void it('adds GatewayHostName when the module connects elsewhere than the hub', () => {
    const text = buildModuleConnectionString({
      hostName: HOST,
      deviceId: 'd1',
      moduleId: 'm1',
      sharedAccessKey: KEY,
      gatewayHostName: '127.0.0.1',
    });
    assert.deepEqual(Object.fromEntries(parseConnectionString(text)), {
      HostName: HOST,
      DeviceId: 'd1',
      ModuleId: 'm1',
      SharedAccessKey: KEY,
      GatewayHostName: '127.0.0.1',
    });
  });
});

void describe('buildConnectionString', () => {
  void it('writes a device connection string without ModuleId, and with GatewayHostName only when given', () => {
    assert.equal(buildConnectionString({ hostName: HOST, deviceId: 'd1', sharedAccessKey: KEY }), `HostName=${HOST};DeviceId=d1;SharedAccessKey=${KEY}`);
    assert.equal(
      buildConnectionString({ hostName: HOST, deviceId: 'd1', sharedAccessKey: KEY, gatewayHostName: undefined }),
      `HostName=${HOST};DeviceId=d1;SharedAccessKey=${KEY}`,
    );
    assert.equal(
      buildConnectionString({ hostName: HOST, deviceId: 'd1', sharedAccessKey: KEY, gatewayHostName: 'localhost:18883' }),
      `HostName=${HOST};DeviceId=d1;SharedAccessKey=${KEY};GatewayHostName=localhost:18883`,
    );
  });
});

void describe('describeServiceConnection', () => {
  void it('returns the host and policy name, never the key', () => {
    const description = describeServiceConnection(`HostName=${HOST};SharedAccessKeyName=service;SharedAccessKey=${PADDED_KEY}`);
    assert.deepEqual(description, { hostName: HOST, policyName: 'service' });
    assert.equal(JSON.stringify(description).includes(PADDED_KEY), false);
  });

  void it('refuses a connection string missing a field, without echoing the key', () => {
    const incomplete = [
      `HostName=${HOST};SharedAccessKeyName=service`,
      `HostName=${HOST};SharedAccessKey=${KEY}`,
      `SharedAccessKeyName=service;SharedAccessKey=${KEY}`,
    ];
    for (const text of incomplete) {
      assert.throws(
        () => describeServiceConnection(text),
        (error: unknown) => error instanceof Error && /HostName, SharedAccessKeyName and SharedAccessKey/.test(error.message) && !error.message.includes(KEY),
      );
    }
  });
});
