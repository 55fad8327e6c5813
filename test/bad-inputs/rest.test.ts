import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authCases, etagAndTargetCases, routeCases } from './rest-access-cases.js';
import { identityBodyCases, twinBodyCases, type RestCase } from './rest-body-cases.js';
import { identityFieldCases } from './rest-identity-field-cases.js';
import { thumbprintCases } from './rest-thumbprint-cases.js';
import { assertHubError, assertStillServing, newRestBench, send, snapshot } from './rest-fixture.js';

/**
 * The REST catalogue, driven through RestApi.handle: each bad input gets the hub's status and error
 * code, the registry and twins are byte-for-byte unchanged, the registry announces no change (so no
 * device is notified and nothing is persisted), and the API still
 * answers a valid request afterwards.
 */
function runCases(title: string, cases: readonly RestCase[]): void {
  void describe(title, () => {
    for (const testCase of cases) {
      void it(testCase.name, async () => {
        const bench = newRestBench();
        const before = snapshot(bench);
        const response = await send(bench, testCase.request);
        assertHubError(response, testCase.status, testCase.code);
        assert.equal(snapshot(bench), before, 'the registry and twins are unchanged');
        assert.deepEqual(bench.notified, [], 'the registry announced no change');
        await assertStillServing(bench);
      });
    }
  });
}

runCases('bad REST inputs: twin bodies', twinBodyCases);
runCases('bad REST inputs: identity bodies and ids', identityBodyCases);
runCases('bad REST inputs: identity fields the hub does not define', identityFieldCases);
runCases('bad REST inputs: X.509 thumbprints', thumbprintCases);
runCases('bad REST inputs: SAS tokens and permissions', authCases);
runCases('bad REST inputs: routes, methods and api-versions', routeCases);
runCases('bad REST inputs: etags and missing targets', etagAndTargetCases);

void describe('bad REST inputs: the catalogue itself', () => {
  void it('has distinct case names', () => {
    const names = [twinBodyCases, identityBodyCases, identityFieldCases, thumbprintCases, authCases, routeCases, etagAndTargetCases].flat().map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
  });
});
