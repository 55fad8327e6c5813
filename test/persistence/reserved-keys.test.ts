import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { Registry } from '../../src/sdk.js';
import { httpsText } from '../support/https-text.js';
import { serviceTokenFor } from '../support/service-token.js';
import { connect, deadline, end, subscribe, twinRequest, validCredentials, type KeyedIdentity, type MqttBench } from '../bad-inputs/mqtt-fixture.js';

/**
 * Keys are data (issue 18): `__proto__`, `constructor` and `prototype` are legal twin property names
 * on the hub, and round-trip exactly through REST, MQTT (twin GET, reported patches, desired
 * notifications) and a restart with the same data directory. REST is read on the wire: the Node
 * service SDK wraps twins in its Twin class through lodash's merge, which skips `__proto__` (an SDK
 * choice against prototype pollution, not the hub's answer). Bodies are JSON text, as on the wire: an
 * object literal's `__proto__` would set a prototype instead of naming a key.
 */
const MODULE = { deviceId: 'r-dev', moduleId: 'r-mod' };
const RESERVED = '{"__proto__":{"nested":{"constructor":1}},"constructor":{"name":"c"},"prototype":[1,{"__proto__":2}]}';
/** A section's values as JSON text, without `$metadata` and `$version` (which follow them). */
const valuesOf = (section: Record<string, unknown>): string => JSON.stringify(Object.fromEntries(Object.entries(section).filter(([key]) => !key.startsWith('$'))));

const registryOf = (emulator: StartedIotHubEmulator) => Registry.fromConnectionString(emulator.getServiceConnectionString());

interface ServiceTwin {
  readonly tags: Record<string, unknown>;
  readonly version: number;
  readonly properties: { readonly desired: Record<string, unknown>; readonly reported: Record<string, unknown> };
}

/** The module twin over REST as the Registry would call it (PATCH with If-Match `*`, or GET), parsed from the wire. */
async function restTwin(emulator: StartedIotHubEmulator, patch?: string): Promise<{ text: string; twin: ServiceTwin }> {
  const reply = await httpsText({
    host: emulator.hostName,
    path: `/twins/${MODULE.deviceId}/modules/${MODULE.moduleId}?api-version=2021-04-12`,
    method: patch === undefined ? 'GET' : 'PATCH',
    headers: { authorization: serviceTokenFor(emulator.getServiceConnectionString()), 'content-type': 'application/json', 'if-match': '*' },
  }, patch);
  assert.equal(reply.status, 200, reply.text);
  return { text: reply.text, twin: JSON.parse(reply.text) as ServiceTwin };
}

/** What the store keeps, in wire order (connection state and activity times follow the live connections). */
const persisted = (twin: ServiceTwin & { etag?: string }): string => JSON.stringify([twin.etag, twin.version, twin.tags, twin.properties]);

async function desiredNotification(client: MqttClient): Promise<string> {
  return Promise.race([
    new Promise<string>((resolve) => client.once('message', (_topic: string, body: Buffer) => resolve(body.toString()))),
    deadline('the desired notification'),
  ]);
}

void describe('reserved-word keys round-trip exactly over REST, MQTT and a restart', () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-reserved-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  void it('stores, returns and keeps __proto__, constructor and prototype', async () => {
    const first = await new IotHubEmulator().withDataDirectory(directory).start();
    let identity: KeyedIdentity;
    let before: string;
    try {
      await registryOf(first).create({ deviceId: MODULE.deviceId });
      const created = (await registryOf(first).addModule(MODULE)).responseBody as { authentication: { symmetricKey: { primaryKey: string } } };
      identity = { ...MODULE, key: created.authentication.symmetricKey.primaryKey };
      const { twin: patched } = await restTwin(first, `{"tags":${RESERVED},"properties":{"desired":${RESERVED}}}`);
      assert.equal(JSON.stringify(patched.tags), RESERVED, 'REST: the tags come back exactly');
      assert.equal(valuesOf(patched.properties.desired), RESERVED, 'REST: the desired properties come back exactly');

      const bench: MqttBench = { emulator: first, m1: identity, m2: identity, d2: identity };
      const { client } = await connect(bench, validCredentials(bench, identity));
      try {
        const got = await twinRequest(client, '$iothub/twin/GET/?$rid=get', '');
        assert.equal(valuesOf((JSON.parse(got.body) as { desired: Record<string, unknown> }).desired), RESERVED, 'MQTT: twin GET returns them');
        const ack = await twinRequest(client, '$iothub/twin/PATCH/properties/reported/?$rid=rep', RESERVED);
        assert.match(ack.topic, /^\$iothub\/twin\/res\/204\//, 'MQTT: the reported patch is accepted');
        assert.deepEqual(await subscribe(client, ['$iothub/twin/PATCH/properties/desired/#']), [0]);
        const notified = desiredNotification(client);
        await restTwin(first, '{"properties":{"desired":{"constructor":{"name":"d"}}}}');
        assert.equal(await notified, '{"constructor":{"name":"d"},"$version":3}', 'MQTT: the desired notification names the key');
      } finally {
        await end(client);
      }
      const { twin } = await restTwin(first);
      before = persisted(twin);
      assert.equal(valuesOf(twin.properties.reported), RESERVED, 'REST: the reported properties the device sent');
      assert.equal(valuesOf(twin.properties.desired), RESERVED.replace('{"name":"c"}', '{"name":"d"}'));
      assert.equal(JSON.stringify(twin.tags), RESERVED);
    } finally {
      await first.stop();
    }

    const second = await new IotHubEmulator().withDataDirectory(directory).start();
    try {
      assert.equal(persisted((await restTwin(second)).twin), before, '--data: values, $metadata, versions and etag survive the restart exactly');
      assert.equal(({} as { nested?: unknown }).nested, undefined, 'Object.prototype was never touched');
    } finally {
      await second.stop();
    }
  });
});
