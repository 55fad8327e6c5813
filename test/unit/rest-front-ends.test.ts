import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import tls from 'node:tls';
import { IotHubEmulator, type RestFrontEnd } from '../../emulator/emulator.js';
import { Registry } from '../../src/sdk.js';

/** The official Registry, given nothing but the emulator's connection string. */
async function createAndReadBack(emulator: { getServiceConnectionString(): string }, deviceId: string): Promise<unknown> {
  const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
  await registry.create({ deviceId });
  const { responseBody } = await registry.getTwin(deviceId);
  return responseBody.deviceId;
}

void describe('in-process REST front ends: the unmodified Registry reaches the emulator by its connection string', () => {
  for (const frontEnd of ['routed', 'nock'] as const satisfies readonly RestFrontEnd[]) {
    void it(`serves the registry and twins through the '${frontEnd}' front end`, async () => {
      const emulator = await new IotHubEmulator().withHubName(`front-end-${frontEnd}`).withRestFrontEnd(frontEnd).start();
      try {
        assert.equal(await createAndReadBack(emulator, 'd1'), 'd1');
      } finally {
        await emulator.stop();
      }
    });
  }

  void it('routes each hub name to its own emulator', async () => {
    const first = await new IotHubEmulator().withHubName('route-first').start();
    const second = await new IotHubEmulator().withHubName('route-second').start();
    try {
      await createAndReadBack(first, 'only-in-first');
      const secondRegistry = Registry.fromConnectionString(second.getServiceConnectionString());
      await assert.rejects(secondRegistry.get('only-in-first'), (error: Error & { responseBody?: string }) => /DeviceNotFound/.test(error.responseBody ?? ''));
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  void it('refuses a second emulator for a hub name already served here, and frees the name on stop', async () => {
    const first = await new IotHubEmulator().withHubName('route-taken').start();
    try {
      await assert.rejects(new IotHubEmulator().withHubName('route-taken').start(), /already serves https:\/\/route-taken\.azure-devices\.net/);
    } finally {
      await first.stop();
    }
    const again = await new IotHubEmulator().withHubName('route-taken').start();
    try {
      assert.equal(await createAndReadBack(again, 'after-restart'), 'after-restart');
    } finally {
      await again.stop();
    }
  });

  // Last in this file (a process of its own): it ends by putting Node's tls.connect back by hand.
  void it('puts tls.connect back when the last emulator stops, but never unwraps a wrapper added after it', async () => {
    const original = tls.connect;
    const first = await new IotHubEmulator().withHubName('route-chain').start();
    await first.stop();
    assert.equal(tls.connect, original, 'no emulator runs: tls.connect is Node\'s again');
    const second = await new IotHubEmulator().withHubName('route-chain').start();
    let seen = 0;
    const routed = tls.connect;
    const laterWrapper = function countingConnect(this: unknown, ...args: unknown[]) {
      seen++;
      return Reflect.apply(routed, this, args) as tls.TLSSocket;
    };
    tls.connect = laterWrapper;
    try {
      await second.stop();
      assert.equal(tls.connect, laterWrapper, 'the later wrapper stays in place');
      const third = await new IotHubEmulator().withHubName('route-chain').start();
      try {
        assert.equal(await createAndReadBack(third, 'through-the-chain'), 'through-the-chain');
        assert.ok(seen > 0, 'the request went through the later wrapper, then the route');
      } finally {
        await third.stop();
      }
    } finally {
      tls.connect = original;
    }
  });
});
