import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/emulator.js';
import { HttpControl } from '../../src/control/http-control.js';
import { httpsText } from '../support/https-text.js';

async function send(emulator: StartedIotHubEmulator, method: string, path: string, body = ''): Promise<{ status: number; body: string }> {
  const reply = await httpsText({ url: `https://localhost:${emulator.httpsPort ?? 0}${path}`, method, ca: emulator.caCertificate }, body);
  return { status: reply.status, body: reply.text };
}

void describe('HTTP control plane', () => {
  let emulator: StartedIotHubEmulator;
  let control: HttpControl;

  before(async () => {
    emulator = await new IotHubEmulator().withRestFrontEnd('https').withHttpsPort(0).withControlPlane(true).withMaxRequestBodyBytes(1024).start();
    control = new HttpControl({ baseUrl: `https://localhost:${emulator.httpsPort ?? 0}/_emulator/`, ca: emulator.caCertificate });
  });

  after(async () => {
    await emulator.stop();
  });

  void it('reports an unknown client as never connected and refuses to drop it', async () => {
    assert.deepEqual(await control.connectionStatus({ deviceId: 'd1', moduleId: 'm1' }), { connected: false, connectionCount: 0, listensForDesired: false });
    assert.equal(await control.dropConnection({ deviceId: 'd1', moduleId: 'm1' }), false);
  });

  void it('times out a server-side wait with 408 and says what it saw', async () => {
    await assert.rejects(control.waitForConnection({ deviceId: 'd1' }, { minConnectionCount: 1, timeoutMs: 50 }), /Timed out after 50 ms waiting for client 'd1'.*connected=false, connectionCount=0/);
  });

  void it('answers unknown twins with the hub\'s not-found code, unknown paths 404, wrong methods 405, bad numbers 400', async () => {
    const twin = await send(emulator, 'GET', '/_emulator/twins/nobody/modules/none');
    assert.equal(twin.status, 404);
    assert.match(twin.body, /DeviceNotFound/);
    assert.equal((await send(emulator, 'GET', '/_emulator/nothing')).status, 404);
    assert.equal((await send(emulator, 'GET', '/_emulator/reset')).status, 405);
    assert.equal((await send(emulator, 'POST', '/_emulator/connections/d1/wait?timeoutMs=soon')).status, 400);
  });

  void it('reports the emulator process\'s CPU time and memory, growing with work done', async () => {
    const first = await control.processUsage();
    assert.ok(first.rssBytes > 0 && first.heapUsedBytes > 0 && first.uptimeMs >= 0, JSON.stringify(first));
    await send(emulator, 'GET', '/_emulator/registry');
    const second = await control.processUsage();
    assert.ok(second.cpuMs > first.cpuMs, `CPU time went from ${first.cpuMs} to ${second.cpuMs} ms`);
  });

  void it('lists ids only and resets', async () => {
    const registry = await send(emulator, 'GET', '/_emulator/registry');
    assert.deepEqual(JSON.parse(registry.body), { deviceIds: [], moduleIds: [], connectedClientIds: [] });
    await control.reset();
  });

  void it('keeps the hub API apart: hub paths never reach the control plane, and bodies over the cap get 413', async () => {
    const hub = await send(emulator, 'GET', '/devices/d1?api-version=2021-04-12');
    assert.equal(hub.status, 401);
    const large = await send(emulator, 'PUT', '/devices/d1?api-version=2021-04-12', 'x'.repeat(2048));
    assert.equal(large.status, 413);
    assert.match(large.body, /RequestEntityTooLarge/);
  });
});

void describe('control plane switches', () => {
  void it('is off unless enabled: /_emulator answers 404', async () => {
    const emulator = await new IotHubEmulator().withRestFrontEnd('https').withHttpsPort(0).start();
    try {
      assert.equal((await send(emulator, 'GET', '/_emulator/health')).status, 404);
    } finally {
      await emulator.stop();
    }
  });

  void it('refuses a non-loopback bind address unless allowed, before listening', async () => {
    const builder = new IotHubEmulator().withRestFrontEnd('https').withBindAddress('0.0.0.0').withControlPlane(true);
    await assert.rejects(builder.start(), /--allow-remote-control-plane/);
  });
});
