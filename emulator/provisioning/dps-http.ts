import { randomUUID } from 'node:crypto';
import { dpsErrors, type DpsError } from '../state/dps/dps-errors.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';

/**
 * The transport-free request and response the DPS adapters take; the same shape as rest/http-types.ts
 * (the HTTPS listener translates to and from it), declared here because adapters do not import each other.
 */
export interface DpsRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** The connection's TLS client certificate, if it sent one: an X.509 device's credential (wire notes §5.1). */
  readonly certificate?: PresentedCertificate | undefined;
}

export interface DpsResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Every DPS answer is JSON: the device SDK parses only bodies labelled application/json, and crashes otherwise (wire notes §3). */
export function dpsJson(status: number, value: unknown, extraHeaders: Record<string, string> = {}): DpsResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders }, body: JSON.stringify(value) };
}

/** ProvisioningServiceErrorDetails (device.json, service.json): `{errorCode, trackingId, message, timestampUtc}` plus `x-ms-error-code`. */
export function dpsErrorResponse(error: DpsError, now: Date): DpsResponse {
  const body = { errorCode: error.errorCode, trackingId: randomUUID(), message: error.message, timestampUtc: now.toISOString() };
  return dpsJson(error.status, body, { 'x-ms-error-code': String(error.errorCode) });
}

/** A JSON request body; empty means absent. */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw dpsErrors.badRequest('The request body is not valid JSON.');
  }
}

/** A path segment, percent-decoded (the service SDK encodes ids with encodeURIComponent). */
export function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw dpsErrors.badRequest(`The path segment '${value}' is not valid percent-encoding.`);
  }
}
