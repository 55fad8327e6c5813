import { HubError } from '../../errors.js';

/**
 * The Device Provisioning Service's errors. DPS shapes them unlike IoT Hub (errors.ts): the body is
 * `{errorCode, trackingId, message, timestampUtc}` with a six-digit errorCode whose first three digits
 * are the HTTP status (docs: "Troubleshoot DPS", common error codes; wire notes §2.3, §8.4).
 * Codes observed in public logs: 401002 (bad SAS), 404201 (enrollment not found); the others follow
 * the same pattern and are marked as assumed in FIDELITY.md.
 */
export class DpsError extends Error {
  readonly status: number;
  readonly errorCode: number;

  constructor(init: { status: number; errorCode: number; message: string }) {
    super(init.message);
    this.name = 'DpsError';
    this.status = init.status;
    this.errorCode = init.errorCode;
  }
}

const error = (status: number, errorCode: number, message: string): DpsError => new DpsError({ status, errorCode, message });

export const dpsErrors = {
  badRequest: (message: string) => error(400, 400004, message),
  /** TPM attestation and custom allocation need a TPM or a webhook the emulator does not have. */
  notSupported: (what: string) => error(400, 400009, `${what} is not supported by this emulator (see FIDELITY.md, Device Provisioning Service).`),
  unauthorized: (message = 'Unauthorized') => error(401, 401002, message),
  unknownIdScope: () => error(404, 404001, 'The Device Provisioning Service instance of this ID scope does not exist.'),
  enrollmentNotFound: (id: string) => error(404, 404201, `Enrollment ${id} not found.`),
  enrollmentGroupNotFound: (id: string) => error(404, 404202, `Enrollment group ${id} not found.`),
  registrationNotFound: (id: string) => error(404, 404203, `Device registration ${id} not found.`),
  operationNotFound: (id: string) => error(404, 404204, `Operation ${id} not found.`),
  routeNotFound: (method: string, path: string) => error(404, 404000, `No Device Provisioning Service operation at ${method} ${path}.`),
  methodNotAllowed: (method: string) => error(405, 405000, `The method ${method} is not allowed here.`),
  conflict: (id: string) => error(409, 409201, `${id} already exists: send its etag (If-Match) to replace it.`),
  preconditionFailed: (id: string) => error(412, 412201, `The etag does not match the current etag of ${id}.`),
  tooLarge: (limit: number) => error(413, 413000, `The request body exceeds ${limit} bytes.`),
  unsupportedMediaType: () => error(415, 415000, 'The request body must be application/json.'),
};

export function asDpsError(value: unknown): DpsError {
  if (value instanceof DpsError) return value;
  // A hub refusal met while assigning (an invalid device id, say) keeps its status, in DPS's shape.
  if (value instanceof HubError && value.status < 500) return error(value.status, value.status * 1000, value.message);
  const message = value instanceof Error ? value.message : String(value);
  return new DpsError({ status: 500, errorCode: 500000, message: `Internal emulator error: ${message}` });
}
