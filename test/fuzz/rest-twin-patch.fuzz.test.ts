import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { newRestBench, send, snapshot, type RestBench } from '../bad-inputs/rest-fixture.js';
import { assertProperty, patchBody } from './fuzz-settings.js';
import { isMap, servicePatchOutcome, type JsonMap, type ServiceTwin } from './twin-oracle.js';

const TWIN = '/twins/d1/modules/m1';

interface ReadTwin extends ServiceTwin {
  readonly etag: string;
  readonly version: number;
}

/** The twin as the back end reads it (GET), without the read-only `$metadata` and `$version`. */
async function readTwin(bench: RestBench): Promise<ReadTwin> {
  const response = await send(bench, { method: 'GET', path: TWIN });
  assert.equal(response.status, 200);
  return twinOf(response.body);
}

function twinOf(body: string | undefined): ReadTwin {
  const twin = JSON.parse(body ?? '') as { etag: string; version: number; tags?: JsonMap; properties: { desired: JsonMap } };
  const { $metadata: _metadata, $version: _version, ...desired } = twin.properties.desired;
  return { etag: twin.etag, version: twin.version, tags: twin.tags ?? {}, desired };
}

/** RFC 7232: absent and `*` match; otherwise the quoted etag the back end read. */
function etagMatches(ifMatch: string | undefined, etag: string): boolean {
  return ifMatch === undefined || ifMatch === '*' || ifMatch === `"${etag}"`;
}

function assertHubRefusal(bench: RestBench, response: { status: number; body?: string; headers: Record<string, string | undefined> }, before: string): void {
  assert.match(response.headers['iothub-errorcode'] ?? '', /^[A-Za-z]+$/);
  assert.match((JSON.parse(response.body ?? '{}') as { Message?: string }).Message ?? '', /^ErrorCode:[A-Za-z]+;/);
  assert.equal(snapshot(bench), before, 'a refused patch leaves the registry as it was');
  assert.deepEqual(bench.notified, [], 'a refused patch announces no change');
}

/**
 * Any body PATCHed to a twin: the oracle (twin-oracle.ts, from the hub's documented rules) says
 * whether the hub must refuse it, and if not, what the twin must then hold. A body the rules refuse
 * is refused (400, or 412 when the etag is stale too) and changes nothing; a stale etag alone is
 * 412; anything else is applied as a merge patch.
 */
void describe('fuzz: REST twin PATCH', () => {
  void it('refuses exactly the bodies the documented rules refuse, and applies the others as merge patches', async () => {
    await assertProperty(
      fc.asyncProperty(patchBody, fc.option(fc.constantFrom('*', '"AAAAAAAAAAI="', '"AAAAAAAAAAM="', 'garbage'), { nil: undefined }), async (body, ifMatch) => {
        const bench = newRestBench();
        const twinBefore = await readTwin(bench);
        const before = snapshot(bench);
        const expected = servicePatchOutcome(body, twinBefore);
        const fresh = etagMatches(ifMatch, twinBefore.etag);
        const response = await send(bench, { method: 'PATCH', path: TWIN, body, ...(ifMatch === undefined ? {} : { ifMatch }) });
        const detail = `${body.slice(0, 200)} (If-Match ${ifMatch ?? 'none'}) -> ${response.status} ${response.body?.slice(0, 200) ?? ''}`;
        if ('refused' in expected) {
          assert.ok(fresh ? response.status === 400 : [400, 412].includes(response.status), `must be refused (${expected.refused}): ${detail}`);
          assertHubRefusal(bench, response, before);
          return;
        }
        if (!fresh) {
          assert.equal(response.status, 412, `a stale etag must be refused: ${detail}`);
          assertHubRefusal(bench, response, before);
          return;
        }
        assert.equal(response.status, 200, `must be accepted: ${detail}`);
        const after = twinOf(response.body);
        assert.deepEqual({ tags: after.tags, desired: after.desired }, expected.after, `applied as a merge patch: ${detail}`);
        assert.equal(after.version, twinBefore.version + (expected.changes ? 1 : 0), 'the twin version moves only when tags or desired are written');
        assert.ok(isMap(after.desired));
      }),
    );
  });
});
