import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { Registry } from '../../src/sdk.js';

/**
 * Bad inputs sent the way users send them: through the official azure-iothub Registry (in-process,
 * REST through nock) and as raw bytes over the HTTPS front end (bodies no SDK would build).
 */
type RegistryClient = ReturnType<typeof Registry.fromConnectionString>;

interface SdkFailure {
  readonly name: string;
  readonly statusCode: number | undefined;
}

async function sdkFailure(action: () => Promise<unknown>): Promise<SdkFailure> {
  try {
    await action();
  } catch (error) {
    const failure = error as Error & { response?: { statusCode?: number } };
    return { name: failure.name, statusCode: failure.response?.statusCode };
  }
  assert.fail('the SDK call succeeded, but the hub should refuse it');
}

interface SdkCase {
  readonly name: string;
  readonly action: (registry: RegistryClient, emulator: StartedIotHubEmulator) => Promise<unknown>;
  readonly expected: SdkFailure;
}

const desired = { properties: { desired: { speed: 2 } } };

/** Error classes are what azure-iothub's translateError makes of the hub's answer (ModuleNotFound is a plain Error there). */
const sdkCases: SdkCase[] = [
  { name: 'updateTwin with a stale etag', action: (r) => r.updateModuleTwin('d1', 'm1', desired, '"AAAAAAAAAAA="'), expected: { name: 'InvalidEtagError', statusCode: 412 } },
  { name: 'updateTwin with a forbidden key', action: (r) => r.updateModuleTwin('d1', 'm1', { properties: { desired: { 'a.b': 1 } } }, '*'), expected: { name: 'ArgumentError', statusCode: 400 } },
  { name: 'updateTwin of an unknown module', action: (r) => r.updateModuleTwin('d1', 'ghost', desired, '*'), expected: { name: 'Error', statusCode: 404 } },
  { name: 'create with an invalid device id', action: (r) => r.create({ deviceId: 'bad id!#' }), expected: { name: 'ArgumentError', statusCode: 400 } },
  { name: 'create an existing device', action: (r) => r.create({ deviceId: 'd1' }), expected: { name: 'DeviceAlreadyExistsError', statusCode: 409 } },
  { name: 'addModule with an over-long id', action: (r) => r.addModule({ deviceId: 'd1', moduleId: 'm'.repeat(129) }), expected: { name: 'ArgumentError', statusCode: 400 } },
  {
    name: 'create with a policy lacking RegistryWrite',
    action: (_r, e) => Registry.fromConnectionString(e.getServiceConnectionString('registryRead')).create({ deviceId: 'new1' }),
    expected: { name: 'UnauthorizedError', statusCode: 401 },
  },
  {
    name: 'getTwin with a forged key',
    action: (_r, e) => Registry.fromConnectionString(e.getServiceConnectionString().replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.alloc(32, 7).toString('base64')}`)).getModuleTwin('d1', 'm1'),
    expected: { name: 'UnauthorizedError', statusCode: 401 },
  },
];

interface RawResponse {
  readonly status: number;
  readonly code: string | undefined;
}

function rawRequest(emulator: StartedIotHubEmulator, init: { method: string; path: string; body: Buffer }): Promise<RawResponse> {
  const ownerKey = /SharedAccessKey=([^;]+)/.exec(emulator.getServiceConnectionString())?.[1] ?? '';
  const token = createSasToken({ resourceUri: emulator.hostName, base64Key: ownerKey, expiry: Math.floor(Date.now() / 1000) + 600, keyName: 'iothubowner' });
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: emulator.httpsPort, method: init.method, path: `${init.path}?api-version=2021-04-12`, ca: emulator.caCertificate, servername: 'localhost',
        headers: { authorization: token, 'content-type': 'application/json', 'content-length': init.body.length } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, code: response.headers['iothub-errorcode'] as string | undefined }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

const rawCases: { name: string; body: Buffer; status: number; code: string }[] = [
  { name: 'a body over the size limit', body: Buffer.from(JSON.stringify({ tags: { big: 'x'.repeat(300 * 1024) } })), status: 413, code: 'RequestEntityTooLarge' },
  { name: 'non-UTF-8 bytes outside any string', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), status: 400, code: 'ArgumentInvalid' },
  {
    name: 'non-UTF-8 bytes inside a tag value',
    body: Buffer.concat([Buffer.from('{"tags":{"site":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}')]),
    status: 400, code: 'ArgumentInvalid',
  },
];

void describe('bad inputs through the service SDK and the HTTPS front end', () => {
  let emulator: StartedIotHubEmulator;
  let registry: RegistryClient;
  const twinState = (): string => JSON.stringify([emulator.control.twinOf({ deviceId: 'd1', moduleId: 'm1' }), emulator.control.deviceCount()]);
  before(async () => {
    emulator = await new IotHubEmulator().start();
    registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
    await registry.create({ deviceId: 'd1' });
    await registry.addModule({ deviceId: 'd1', moduleId: 'm1' });
    await registry.updateModuleTwin('d1', 'm1', { tags: { site: 'a' }, properties: { desired: { speed: 1 } } }, '*');
  });
  after(async () => {
    await emulator.stop();
  });

  const assertServing = async (): Promise<void> => {
    assert.equal((await registry.getModuleTwin('d1', 'm1')).responseBody.properties.desired.speed, 1, 'a valid read still works');
  };

  for (const testCase of sdkCases) {
    void it(`SDK: ${testCase.name}`, async () => {
      const before = twinState();
      assert.deepEqual(await sdkFailure(() => testCase.action(registry, emulator)), testCase.expected);
      assert.equal(twinState(), before);
      await assertServing();
    });
  }

  for (const testCase of rawCases) {
    void it(`HTTPS: twin PATCH with ${testCase.name}`, async () => {
      const before = twinState();
      const response = await rawRequest(emulator, { method: 'PATCH', path: '/twins/d1/modules/m1', body: testCase.body });
      assert.deepEqual(response, { status: testCase.status, code: testCase.code });
      assert.equal(twinState(), before);
      await assertServing();
    });
  }
});
