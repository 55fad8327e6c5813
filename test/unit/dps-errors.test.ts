import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DpsError, dpsErrors } from '../../emulator/state/dps/dps-errors.js';

/** DPS's error shape (dps-errors.ts): the six-digit code starts with the status, the message says what to fix. asDpsError: test/dps/provisioning-state. */
void describe('Device Provisioning Service errors', () => {
  void it('gives each refusal its status, code and message', () => {
    const cases: [DpsError, number, number, string][] = [
      [dpsErrors.badRequest('Bad body.'), 400, 400004, 'Bad body.'],
      [dpsErrors.notSupported('TPM attestation'), 400, 400009, 'TPM attestation is not supported by this emulator (see FIDELITY.md, Device Provisioning Service).'],
      [dpsErrors.unauthorized(), 401, 401002, 'Unauthorized'],
      [dpsErrors.unauthorized('Wrong key.'), 401, 401002, 'Wrong key.'],
      [dpsErrors.unknownIdScope(), 404, 404001, 'The Device Provisioning Service instance of this ID scope does not exist.'],
      [dpsErrors.enrollmentNotFound('e1'), 404, 404201, 'Enrollment e1 not found.'],
      [dpsErrors.enrollmentGroupNotFound('g1'), 404, 404202, 'Enrollment group g1 not found.'],
      [dpsErrors.registrationNotFound('r1'), 404, 404203, 'Device registration r1 not found.'],
      [dpsErrors.operationNotFound('o1'), 404, 404204, 'Operation o1 not found.'],
      [dpsErrors.routeNotFound('GET', '/x'), 404, 404000, 'No Device Provisioning Service operation at GET /x.'],
      [dpsErrors.methodNotAllowed('PATCH'), 405, 405000, 'The method PATCH is not allowed here.'],
      [dpsErrors.conflict('e1'), 409, 409201, 'e1 already exists: send its etag (If-Match) to replace it.'],
      [dpsErrors.preconditionFailed('e1'), 412, 412201, 'The etag does not match the current etag of e1.'],
      [dpsErrors.tooLarge(1024), 413, 413000, 'The request body exceeds 1024 bytes.'],
      [dpsErrors.unsupportedMediaType(), 415, 415000, 'The request body must be application/json.'],
    ];
    for (const [error, status, errorCode, message] of cases) {
      assert.deepEqual({ name: error.name, status: error.status, errorCode: error.errorCode, message: error.message }, { name: 'DpsError', status, errorCode, message });
    }
  });
});
