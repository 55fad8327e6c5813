import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Registry as RegistryType } from 'azure-iothub';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { Registry } from '../../src/sdk.js';
import { HubFixture } from '../mqtt/hub-fixture.js';
import { httpsText } from '../support/https-text.js';
import { serviceTokenFor } from '../support/service-token.js';

/**
 * The official azure-iothub Registry against the embedded emulator, for what it sends and reads
 * itself: `list()` (`GET /devices/`, with the trailing slash of endpoint.devicePath('')),
 * `getRegistryStatistics()` (`GET /statistics/devices`) and `createQuery()` over the query
 * language. One device is connected over MQTT, so that connectionState and the connected count are
 * real.
 */
let hub: HubFixture;
let connected: DeviceSideClient;

interface ErrorWithBody extends Error {
  readonly responseBody?: unknown;
  readonly response?: { readonly statusCode?: number };
}

async function setTags(deviceId: string, tags: Record<string, unknown>, desired: Record<string, unknown> = {}): Promise<void> {
  await hub.registry.updateTwin(deviceId, { tags, properties: { desired } }, '*');
}

before(async () => {
  hub = await HubFixture.start();
  const north = await hub.createDevice('north-1');
  await hub.createDevice('north-2');
  await hub.createDevice('south-1');
  await setTags('north-1', { site: 'north', floor: 1 }, { mode: 'eco' });
  await setTags('north-2', { site: 'north', floor: 2 }, { mode: 'comfort' });
  await setTags('south-1', { site: 'south', floor: 1 });
  const { responseBody: southDevice } = await hub.registry.get('south-1');
  southDevice.status = 'disabled';
  await hub.registry.update(southDevice);
  await hub.createModule('north-1', 'sensor');
  connected = await hub.client(north);
  await connected.open();
});

after(async () => {
  await connected.close();
  await hub.stop();
});

async function queryAll(sql: string, pageSize?: number): Promise<unknown[]> {
  const query = hub.registry.createQuery(sql, pageSize);
  const rows: unknown[] = [];
  while (query.hasMoreResults) rows.push(...((await query.next(query.continuationToken)).result as unknown[]));
  return rows;
}

void describe('Registry.list', () => {
  void it('lists every device (GET /devices/ with a trailing slash)', async () => {
    const { responseBody } = await hub.registry.list();
    assert.deepEqual(responseBody.map((device) => device.deviceId), ['north-1', 'north-2', 'south-1']);
    assert.equal(responseBody[2]?.status, 'disabled');
  });

  void it('is refused with 401 for a wrong key or an unknown policy, as every registry call', async () => {
    const connectionString = hub.serviceConnectionString;
    const wrongKey = connectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.alloc(32, 7).toString('base64')}`);
    const unknownPolicy = connectionString.replace('SharedAccessKeyName=iothubowner', 'SharedAccessKeyName=nobody');
    for (const refused of [wrongKey, unknownPolicy]) {
      await assert.rejects(Registry.fromConnectionString(refused).list(), (error: ErrorWithBody) => {
        assert.equal(error.name, 'UnauthorizedError');
        assert.equal(error.response?.statusCode, 401);
        return true;
      });
    }
  });
});

void describe('Registry.getRegistryStatistics', () => {
  void it('counts all, enabled and disabled devices (modules are not devices)', async () => {
    const { responseBody } = await hub.registry.getRegistryStatistics();
    assert.deepEqual(responseBody, { totalDeviceCount: 3, enabledDeviceCount: 2, disabledDeviceCount: 1 });
  });

  void it('needs RegistryRead: the registryRead policy may, the service policy may not', async () => {
    const registryRead: RegistryType = Registry.fromConnectionString(hub.emulator.getServiceConnectionString('registryRead'));
    assert.equal((await registryRead.getRegistryStatistics()).responseBody.totalDeviceCount, 3);
    const service: RegistryType = Registry.fromConnectionString(hub.emulator.getServiceConnectionString('service'));
    await assert.rejects(service.getRegistryStatistics(), { name: 'UnauthorizedError' });
  });
});

void describe('service statistics (GET /statistics/service, which the Node SDK does not call)', () => {
  async function serviceStatistics(policy: string): Promise<{ status: number; body: unknown }> {
    const reply = await httpsText({
      host: hub.emulator.hostName,
      path: '/statistics/service?api-version=2021-04-12',
      headers: { authorization: serviceTokenFor(hub.emulator.getServiceConnectionString(policy)) },
    });
    return { status: reply.status, body: reply.text === '' ? undefined : JSON.parse(reply.text) };
  }

  void it('counts the connected devices, with ServiceConnect', async () => {
    assert.deepEqual(await serviceStatistics('service'), { status: 200, body: { connectedDeviceCount: 1 } });
    assert.equal((await serviceStatistics('registryRead')).status, 401);
  });
});

void describe('Registry.createQuery over the query language', () => {
  void it('projects properties with AS, in the document spelling', async () => {
    assert.deepEqual(await queryAll("SELECT DeviceId, tags.floor AS floor FROM devices WHERE tags.site = 'north'"), [
      { deviceId: 'north-1', floor: 1 },
      { deviceId: 'north-2', floor: 2 },
    ]);
  });

  void it('counts, groups and aggregates', async () => {
    assert.deepEqual(await queryAll('SELECT COUNT() AS numberOfDevices FROM devices'), [{ numberOfDevices: 3 }]);
    assert.deepEqual(await queryAll('SELECT tags.site AS site, COUNT() AS n, MAX(tags.floor) AS top FROM devices GROUP BY tags.site'), [
      { site: 'north', n: 2, top: 2 },
      { site: 'south', n: 1, top: 1 },
    ]);
  });

  void it('filters with IN, NIN, STARTSWITH and IS_DEFINED, and keeps TOP across pages', async () => {
    const ids = async (sql: string, pageSize?: number): Promise<unknown[]> => (await queryAll(sql, pageSize)).map((row) => (row as { deviceId: string }).deviceId);
    assert.deepEqual(await ids("SELECT * FROM devices WHERE deviceId IN ['north-2', 'south-1']"), ['north-2', 'south-1']);
    assert.deepEqual(await ids("SELECT deviceId FROM devices WHERE properties.desired.mode NIN ['eco']"), ['north-2']);
    assert.deepEqual(await ids("SELECT deviceId FROM devices WHERE STARTSWITH(deviceId, 'north') AND IS_DEFINED(properties.desired.mode)"), ['north-1', 'north-2']);
    assert.deepEqual(await ids('SELECT TOP 2 deviceId FROM devices', 1), ['north-1', 'north-2']);
  });

  void it('compares status, connectionState, lastActivityTime, $version and $metadata', async () => {
    assert.deepEqual(await queryAll("SELECT deviceId FROM devices WHERE status = 'enabled' AND connectionState = 'Connected'"), [{ deviceId: 'north-1' }]);
    assert.deepEqual(await queryAll("SELECT deviceId FROM devices WHERE lastActivityTime > '2000-01-01'"), [{ deviceId: 'north-1' }]);
    assert.deepEqual(await queryAll('SELECT deviceId FROM devices WHERE properties.desired.$version = 2 AND tags.floor = 2'), [{ deviceId: 'north-2' }]);
    assert.deepEqual(await queryAll("SELECT deviceId FROM devices WHERE properties.desired.$metadata.mode.$lastUpdated > '2000-01-01'"), [
      { deviceId: 'north-1' },
      { deviceId: 'north-2' },
    ]);
  });

  void it('queries module twins, and devices.jobs (none)', async () => {
    assert.deepEqual(await queryAll('SELECT deviceId, moduleId FROM devices.modules'), [{ deviceId: 'north-1', moduleId: 'sensor' }]);
    assert.deepEqual(await queryAll('SELECT * FROM devices.jobs'), []);
  });

  void it('raises ArgumentError for a query the hub refuses, with its 400 ArgumentInvalid', async () => {
    await assert.rejects(queryAll('SELECT deviceId, COUNT() AS n FROM devices'), (error: ErrorWithBody) => {
      assert.equal(error.name, 'ArgumentError');
      assert.equal(error.response?.statusCode, 400);
      assert.match(String(error.responseBody), /ErrorCode:ArgumentInvalid;/);
      return true;
    });
  });
});
