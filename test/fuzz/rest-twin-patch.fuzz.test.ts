import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { newRestBench, send, snapshot } from '../bad-inputs/rest-fixture.js';
import { assertProperty, patchBody } from './fuzz-settings.js';

const TWIN = '/twins/d1/modules/m1';
const HUB_ERROR_STATUSES = new Set([400, 412, 413]);

/** Any body PATCHed to a twin gets 200 with the new twin or a hub refusal; a refusal changes nothing. */
void describe('fuzz: REST twin PATCH', () => {
  void it('answers every body with 200 or a hub error envelope, never a crash, and refusals change nothing', async () => {
    await assertProperty(
      fc.asyncProperty(patchBody, fc.option(fc.constantFrom('*', '"AAAAAAAAAAI="', '"AAAAAAAAAAM="', 'garbage'), { nil: undefined }), async (body, ifMatch) => {
        const bench = newRestBench();
        const before = snapshot(bench);
        const versionBefore = bench.registry.getTwin({ deviceId: 'd1', moduleId: 'm1' }).version;
        const response = await send(bench, { method: 'PATCH', path: TWIN, body, ...(ifMatch === undefined ? {} : { ifMatch }) });
        if (response.status === 200) {
          const twin = JSON.parse(response.body ?? '') as { version?: unknown };
          assert.ok(twin.version === versionBefore || twin.version === versionBefore + 1, 'the twin version moves by at most one');
          return;
        }
        assert.ok(HUB_ERROR_STATUSES.has(response.status), `status ${response.status} for ${body.slice(0, 200)}: ${response.body ?? ''}`);
        assert.match(response.headers['iothub-errorcode'] ?? '', /^[A-Za-z]+$/);
        assert.match((JSON.parse(response.body ?? '{}') as { Message?: string }).Message ?? '', /^ErrorCode:[A-Za-z]+;/);
        assert.equal(snapshot(bench), before, 'a refused patch leaves the registry as it was');
        assert.deepEqual(bench.notified, []);
      }),
    );
  });
});
