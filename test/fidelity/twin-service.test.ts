import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCodeOf, RestFixture, type Parsed } from './rest-fixture.js';

/** Service-side twin rules (device and module twins), through the REST API. */
interface TwinBody {
  etag: string;
  version: number;
  tags: Record<string, unknown>;
  properties: { desired: Record<string, unknown> & { $version: number; $metadata: Record<string, unknown> } };
}

const twinOf = (parsed: Parsed): TwinBody => parsed.body as TwinBody;

for (const path of ['/twins/d', '/twins/d/modules/m']) {
  const identity = path.includes('modules') ? { deviceId: 'd', moduleId: 'm' } : { deviceId: 'd' };

  async function hubWithTwin(): Promise<RestFixture> {
    const hub = new RestFixture();
    await hub.call('PUT', '/devices/d', { body: {} });
    await hub.call('PUT', '/devices/d/modules/m', { body: {} });
    await hub.call('PATCH', path, { body: { tags: { site: 'north' }, properties: { desired: { a: 1, b: { c: 2 }, keep: true } } }, headers: { 'if-match': '*' } });
    hub.patches.length = 0;
    return hub;
  }

  void describe(`${path} service side`, () => {
    void it('clears all desired properties in one version step and tells the device each removed key', async () => {
      const hub = await hubWithTwin();
      const before = twinOf(await hub.call('GET', path));
      const cleared = twinOf(await hub.call('PATCH', path, { body: { properties: { desired: null } }, headers: { 'if-match': `"${before.etag}"` } }));
      assert.equal(cleared.properties.desired.$version, before.properties.desired.$version + 1);
      assert.equal(cleared.version, before.version + 1);
      assert.deepEqual(Object.keys(cleared.properties.desired).sort(), ['$metadata', '$version']);
      assert.deepEqual(hub.patches, [{ identity, patch: { a: null, b: null, keep: null }, version: cleared.properties.desired.$version }]);
      assert.deepEqual(cleared.tags, { site: 'north' }, 'tags are untouched');
    });

    void it('replaces desired and tags with PUT, telling the device the difference', async () => {
      const hub = await hubWithTwin();
      const replaced = twinOf(await hub.call('PUT', path, { body: { tags: { floor: 2 }, properties: { desired: { a: 1, b: { d: 3 } } } }, headers: { 'if-match': '*' } }));
      assert.deepEqual(replaced.tags, { floor: 2 });
      const { $metadata: _m, $version: version, ...desired } = replaced.properties.desired;
      assert.deepEqual(desired, { a: 1, b: { d: 3 } });
      assert.deepEqual(hub.patches, [{ identity, patch: { keep: null, b: { c: null, d: 3 } }, version }]);
    });

    void it('stamps $lastUpdated and $lastUpdatedVersion at every level of desired', async () => {
      const hub = await hubWithTwin();
      hub.clock.advanceSeconds(10);
      const twin = twinOf(await hub.call('PATCH', path, { body: { properties: { desired: { b: { c: 5 } } } }, headers: { 'if-match': '*' } }));
      interface Stamp { $lastUpdated?: string; $lastUpdatedVersion?: number; [key: string]: unknown }
      const metadata = twin.properties.desired.$metadata as Stamp;
      const child = (node: Stamp | undefined, key: string): Stamp | undefined => node?.[key] as Stamp | undefined;
      const version = twin.properties.desired.$version;
      assert.equal(metadata.$lastUpdatedVersion, version);
      assert.equal(child(metadata, 'b')?.$lastUpdated, '2026-01-01T00:00:10.000Z');
      assert.equal(child(child(metadata, 'b'), 'c')?.$lastUpdatedVersion, version);
      assert.equal(child(metadata, 'a')?.$lastUpdated, '2026-01-01T00:00:00.000Z', 'an untouched key keeps its stamp');
    });

    void it('refuses a stale etag and a rule-breaking write, changing nothing', async () => {
      const hub = await hubWithTwin();
      const before = twinOf(await hub.call('GET', path));
      const stale = await hub.call('PATCH', path, { body: { tags: { x: 1 } }, headers: { 'if-match': '"AAAAAAAAAAE="' } });
      assert.equal(stale.status, 412);
      const badKey = await hub.call('PATCH', path, { body: { tags: { ok: 1 }, properties: { desired: { 'bad.key': 1 } } }, headers: { 'if-match': '*' } });
      assert.equal(errorCodeOf(badKey), 'ArgumentInvalid');
      const tooBig = await hub.call('PATCH', path, { body: { tags: { big: 'x'.repeat(4000), big2: 'x'.repeat(4000), big3: 'x'.repeat(300) } }, headers: { 'if-match': '*' } });
      assert.equal(tooBig.status, 400, 'tags are limited to 8 KB');
      assert.deepEqual(twinOf(await hub.call('GET', path)), before);
      assert.deepEqual(hub.patches, []);
    });
  });
}

void describe('twin document rules from the docs', () => {
  void it('accept the docs example of ten nested levels and refuse eleven', async () => {
    const hub = new RestFixture();
    await hub.call('PUT', '/devices/d', { body: {} });
    const nest = (levels: number): Record<string, unknown> => {
      let value: Record<string, unknown> = { property: 'value' };
      for (let level = levels; level >= 1; level--) value = { [`l${level}`]: value };
      return value;
    };
    assert.equal((await hub.call('PATCH', '/twins/d', { body: { tags: nest(10) }, headers: { 'if-match': '*' } })).status, 200);
    assert.equal((await hub.call('PATCH', '/twins/d', { body: { tags: { deeper: nest(10) } }, headers: { 'if-match': '*' } })).status, 400);
  });
});
