import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../emulator/state/clock.js';
import { etagForVersion } from '../../emulator/state/etag.js';
import { applyReportedPatch, applyServicePatch, newTwin, twinEtag, type TwinState } from '../../emulator/state/twin.js';
import { expectHubError, START } from './fixtures.js';

function twinWithDesired(clock: ManualClock): TwinState {
  return applyServicePatch(newTwin(clock.now()), { desired: { rate: 5, mode: 'fast' }, tags: { site: 'a' } }, undefined, clock.now()).twin;
}

void describe('new twin', () => {
  void it('starts at version 1 with empty sections and $version 1', () => {
    const twin = newTwin(START);
    assert.equal(twin.version, 1);
    assert.equal(twinEtag(twin), 'AAAAAAAAAAE=');
    assert.deepEqual(twin.tags, {});
    assert.deepEqual([twin.desired.values, twin.desired.version], [{}, 1]);
    assert.deepEqual([twin.reported.values, twin.reported.version], [{}, 1]);
    assert.deepEqual(twin.desired.metadata, { $lastUpdated: START.toISOString(), $lastUpdatedVersion: 1 });
  });
});

void describe('applyServicePatch', () => {
  void it('merges desired and tags, advances twin version, etag and desired $version', () => {
    const clock = new ManualClock(START);
    const twin = twinWithDesired(clock);
    clock.advanceSeconds(60);
    const change = applyServicePatch(twin, { desired: { rate: 7, mode: null } }, undefined, clock.now());
    assert.deepEqual(change.twin.desired.values, { rate: 7 });
    assert.equal(change.twin.desired.version, 3);
    assert.equal(change.twin.version, 3);
    assert.equal(twinEtag(change.twin), etagForVersion(3));
    assert.deepEqual(change.desiredPatch, { rate: 7, mode: null });
    assert.deepEqual(change.twin.tags, { site: 'a' });
    assert.equal(change.twin.desired.metadata.$lastUpdated, clock.now().toISOString());
    assert.equal(change.twin.desired.metadata.$lastUpdatedVersion, 3);
  });

  void it('merges tags without touching desired or its $version', () => {
    const clock = new ManualClock(START);
    const twin = twinWithDesired(clock);
    const change = applyServicePatch(twin, { tags: { site: null, floor: { n: 2 } } }, undefined, clock.now());
    assert.deepEqual(change.twin.tags, { floor: { n: 2 } });
    assert.equal(change.twin.desired, twin.desired);
    assert.equal(change.desiredPatch, undefined);
    assert.equal(change.twin.version, twin.version + 1);
  });

  void it('leaves the reported section alone', () => {
    const clock = new ManualClock(START);
    const reported = applyReportedPatch(newTwin(START), { temp: 20 }, clock.now());
    const change = applyServicePatch(reported, { desired: { rate: 1 } }, undefined, clock.now());
    assert.deepEqual(change.twin.reported, reported.reported);
  });

  void it('accepts If-Match absent, "*" and the quoted current etag', () => {
    const twin = newTwin(START);
    for (const ifMatch of [undefined, '*', '"*"', `"${twinEtag(twin)}"`, twinEtag(twin)]) {
      const change = applyServicePatch(twin, { desired: { a: 1 } }, ifMatch, START);
      assert.equal(change.twin.version, 2, `If-Match ${String(ifMatch)}`);
    }
  });

  void it('refuses a stale If-Match with 412 PreconditionFailed and changes nothing', () => {
    const clock = new ManualClock(START);
    const twin = twinWithDesired(clock);
    const before = structuredClone(twin);
    expectHubError(() => applyServicePatch(twin, { desired: { rate: 9 } }, `"${etagForVersion(1)}"`, clock.now()), 412, 'PreconditionFailed');
    assert.deepEqual(twin, before);
  });

  void it('returns the same twin, version unchanged, for a patch with neither tags nor desired', () => {
    const twin = newTwin(START);
    const change = applyServicePatch(twin, {}, undefined, START);
    assert.equal(change.twin, twin);
    assert.equal(change.desiredPatch, undefined);
  });

  void it('refuses an invalid desired patch after a valid tags patch, storing neither', () => {
    const clock = new ManualClock(START);
    const twin = twinWithDesired(clock);
    const before = structuredClone(twin);
    expectHubError(() => applyServicePatch(twin, { tags: { ok: 1 }, desired: { 'bad.key': 1 } }, undefined, clock.now()), 400, 'ArgumentInvalid');
    assert.deepEqual(twin, before);
  });

  void it('refuses a desired section that would grow past 32 KB, leaving the twin as it was', () => {
    const clock = new ManualClock(START);
    let twin = newTwin(START);
    for (let i = 0; i < 7; i++) twin = applyServicePatch(twin, { desired: { [`k${i}`]: 'x'.repeat(4000) } }, undefined, clock.now()).twin;
    const before = structuredClone(twin);
    expectHubError(() => applyServicePatch(twin, { desired: { k7: 'x'.repeat(4000), k8: 'y'.repeat(4000) } }, undefined, clock.now()), 400, 'ArgumentInvalid');
    assert.deepEqual(twin, before);
  });
});

void describe('applyReportedPatch', () => {
  void it('merges reported, advances reported $version and twin version, stamps metadata without a version', () => {
    const clock = new ManualClock(START);
    const first = applyReportedPatch(newTwin(START), { temp: 20, fw: { v: '1.0' } }, clock.now());
    clock.advanceSeconds(30);
    const second = applyReportedPatch(first, { temp: 21, fw: null }, clock.now());
    assert.deepEqual(second.reported.values, { temp: 21 });
    assert.equal(second.reported.version, 3);
    assert.equal(second.version, 3);
    assert.equal(second.reported.metadata.$lastUpdated, clock.now().toISOString());
    assert.equal(second.reported.metadata.$lastUpdatedVersion, undefined);
    assert.equal('fw' in second.reported.metadata, false);
    assert.deepEqual(second.desired, first.desired);
  });

  void it('refuses a non-object patch and leaves the twin unchanged', () => {
    const twin = applyReportedPatch(newTwin(START), { temp: 20 }, START);
    const before = structuredClone(twin);
    for (const patch of [null, 5, 'text', [1, 2]]) {
      expectHubError(() => applyReportedPatch(twin, patch, START), 400, 'ArgumentInvalid');
    }
    assert.deepEqual(twin, before);
  });
});
