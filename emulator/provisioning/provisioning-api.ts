import { asDpsError } from '../state/dps/dps-errors.js';
import type { ProvisioningService } from '../state/dps/provisioning-service.js';
import { handleDeviceRequest, isDeviceApiPath } from './device-api.js';
import { dpsErrorResponse, type DpsRequest, type DpsResponse } from './dps-http.js';
import { authorizeServiceRequest } from './service-auth.js';
import { handleServiceRequest, isServiceApiPath } from './service-api.js';

export interface ProvisioningApiOptions {
  readonly service: ProvisioningService;
  /** The provisioning host (the service API's SAS audience). */
  readonly hostName: string;
  readonly retryAfterSeconds: number;
}

/**
 * The Device Provisioning Service over HTTPS: the device registration API and the service API. It
 * shares the hub's HTTPS listener (and host name by default): no hub path starts like a DPS one
 * (`/{idScope}/registrations/...`, `/enrollments`, `/enrollmentGroups`, `/registrations`), so the
 * listener hands a request here when `claims` says so. Errors are DPS-shaped (dps-http.ts).
 */
export class ProvisioningApi {
  constructor(private readonly options: ProvisioningApiOptions) {}

  claims(path: string): boolean {
    return isDeviceApiPath(path) || isServiceApiPath(path);
  }

  handle(request: DpsRequest): DpsResponse {
    try {
      if (isDeviceApiPath(request.path)) return handleDeviceRequest(this.options.service.desk, request, this.options.retryAfterSeconds);
      const { clock } = this.options.service.options;
      authorizeServiceRequest(request.headers.authorization, { hostName: this.options.hostName, serviceKey: this.options.service.serviceKey, nowSeconds: Math.floor(clock.now().getTime() / 1000) });
      return handleServiceRequest(this.options.service, request);
    } catch (error) {
      return this.errorResponse(error);
    }
  }

  /** Also for refusals before the request reaches `handle` (an oversized body at the listener). */
  errorResponse(error: unknown): DpsResponse {
    return dpsErrorResponse(asDpsError(error), this.options.service.options.clock.now());
  }
}
