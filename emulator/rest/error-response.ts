import { randomUUID } from 'node:crypto';
import type { HubError } from '../errors.js';
import { jsonResponse, type RestResponse } from './http-types.js';

/**
 * The hub's REST error envelope, which azure-iothub's `Http.parseErrorBody` reads:
 * `{"Message":"ErrorCode:<Code>;<text>","ExceptionMessage":"Tracking ID:<id>-G:0-TimeStamp:<time>"}`
 * plus the `iothub-errorcode` header (wire notes §3, "Errors").
 */
export function errorResponse(error: HubError, now: Date): RestResponse {
  const trackingId = randomUUID().replace(/-/g, '');
  const timestamp = now.toISOString();
  return jsonResponse(
    error.status,
    {
      Message: `ErrorCode:${error.code};${error.message}`,
      ExceptionMessage: `Tracking ID:${trackingId}-G:0-TimeStamp:${timestamp}`,
    },
    { 'iothub-errorcode': error.code },
  );
}
