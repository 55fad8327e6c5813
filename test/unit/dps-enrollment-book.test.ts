import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeed } from '../../emulator/state/change-feed.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import { EnrollmentBook } from '../../emulator/state/dps/enrollment-book.js';
import type { ProvisioningChange } from '../../emulator/state/dps/provisioning-changes.js';
import { etagForVersion } from '../../emulator/state/etag.js';

/** The enrollment book (enrollment-book.ts): what each write stores, stamps and announces. Parsing: dps-enrollment-parse. */
const SYMMETRIC = { type: 'symmetricKey' };

function newBook() {
  const clock = new ManualClock();
  const changes = new ChangeFeed<ProvisioningChange>();
  const announced: ProvisioningChange[] = [];
  changes.subscribe((change) => announced.push(change));
  const book = new EnrollmentBook({ clock, linkedHub: 'hub.azure-devices.net', generateKey: () => Buffer.alloc(32, 1).toString('base64'), changes });
  return { clock, book, announced };
}

function badRequest(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof DpsError && error.status === 400, `expected a 400 DpsError, got ${String(error)}`);
    return error.message;
  }
  return assert.fail('expected a 400');
}

void describe('the enrollment book', () => {
  void it('announces each enrollment and group it writes, with the record written', () => {
    const { book, announced } = newBook();
    const enrollment = book.putEnrollment('e1', { registrationId: 'e1', attestation: SYMMETRIC }, undefined);
    const group = book.putGroup('g1', { enrollmentGroupId: 'g1', attestation: SYMMETRIC }, undefined);
    assert.deepEqual(announced, [{ type: 'enrollment-written', enrollment }, { type: 'enrollment-group-written', group }]);
  });

  void it('keeps the creation time and advances the revision when a record is replaced', () => {
    const { clock, book } = newBook();
    const first = book.putEnrollment('e1', { registrationId: 'e1', attestation: SYMMETRIC }, undefined);
    clock.advanceSeconds(60);
    const second = book.putEnrollment('e1', { registrationId: 'e1', attestation: SYMMETRIC, provisioningStatus: 'disabled' }, `"${etagForVersion(first.revision)}"`);
    assert.deepEqual([second.createdDateTimeUtc, second.revision], [first.createdDateTimeUtc, 2]);
    assert.notEqual(second.lastUpdatedDateTimeUtc, first.lastUpdatedDateTimeUtc);
  });

  void it('reads an individual enrollment\'s X.509 attestation as a device\'s and a group\'s as a CA\'s', () => {
    const { book } = newBook();
    const byReference = { type: 'x509', x509: { caReferences: { primary: 'root' } } };
    assert.match(badRequest(() => book.putEnrollment('e1', { registrationId: 'e1', attestation: byReference }, undefined)), /individual enrollment's x509 attestation takes clientCertificates/);
    assert.equal(book.putGroup('g1', { enrollmentGroupId: 'g1', attestation: byReference }, undefined).attestation.type, 'x509');
  });

  void it('refuses a body that is not an object, or whose id is not the path\'s; ids compare without regard to case', () => {
    const { book } = newBook();
    assert.equal(badRequest(() => book.putEnrollment('e1', [], undefined)), 'The request body must be a JSON object.');
    assert.equal(badRequest(() => book.putEnrollment('e1', { registrationId: 'e2', attestation: SYMMETRIC }, undefined)), "The body's registrationId must be the one in the path ('e1').");
    assert.equal(badRequest(() => book.putGroup('g1', { attestation: SYMMETRIC }, undefined)), "The body's enrollmentGroupId must be the one in the path ('g1').");
    assert.equal(book.putEnrollment('e1', { registrationId: 'E1', attestation: SYMMETRIC }, undefined).registrationId, 'e1');
  });

  void it('names the group id when it is invalid', () => {
    const { book } = newBook();
    assert.match(badRequest(() => book.putGroup('bad id', { enrollmentGroupId: 'bad id', attestation: SYMMETRIC }, undefined)), /^The enrollmentGroupId 'bad id' is invalid/);
  });
});
