import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceAuthCases, deviceBodyCases, deviceRouteCases } from './device-api-cases.js';
import { assertDeviceApiError, assertNothingChanged, newDeviceApiBench, sendToDeviceApi, type DeviceApiCase } from './device-api-fixture.js';

/**
 * The HTTPS device API's catalogue (rest/device-telemetry.ts, device-bound.ts), driven through
 * RestApi.handle: each bad input gets the hub's status and error code, no message is kept, the
 * locked cloud-to-device message stays locked and unsettled, no feedback is made, and the API still
 * takes a valid message afterwards.
 */
function runCases(title: string, cases: readonly DeviceApiCase[]): void {
  void describe(title, () => {
    for (const testCase of cases) {
      void it(testCase.name, async () => {
        const bench = newDeviceApiBench();
        assertDeviceApiError(await sendToDeviceApi(bench, testCase.request), testCase.status, testCase.code);
        assertNothingChanged(bench);
        const valid = await sendToDeviceApi(bench, { method: 'POST', path: '/devices/d1/messages/events', body: 'still served' });
        assert.deepEqual([valid.status, bench.telemetry.size], [204, 1], 'a valid message is taken afterwards');
      });
    }
  });
}

runCases('bad device API inputs: tokens and identities', deviceAuthCases);
runCases('bad device API inputs: batches and sizes', deviceBodyCases);
runCases('bad device API inputs: lock tokens and routes', deviceRouteCases);

void describe('bad device API inputs: the catalogue itself', () => {
  void it('has distinct case names', () => {
    const names = [deviceAuthCases, deviceBodyCases, deviceRouteCases].flat().map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
  });
});
