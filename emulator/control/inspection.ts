import { asHubError } from '../errors.js';
import type { DirectMethodInvoker } from '../methods/method-invoker.js';
import { errorResponse } from '../rest/error-response.js';
import type { RestResponse } from '../rest/http-types.js';
import { invokeDirectMethod } from '../rest/methods.js';
import { serializeTwin } from '../rest/serialize.js';
import { readServicePatch } from '../rest/twins.js';
import type { Clock } from '../state/clock.js';
import { clientIdOf, type IdentityRecord, type IdentityRef } from '../state/identity.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { ConnectionStatus } from './connection-wait.js';

/**
 * What the web inspector (docs/inspector.md) sees of an identity: its state, never its keys. The
 * registry's records carry the symmetric keys; only the authentication *type* leaves this file.
 */
export interface IdentitySummary {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly status: string;
  readonly connectionState: string;
  readonly connectionStateUpdatedTime: string;
  readonly lastActivityTime: string;
  readonly authenticationType: string;
  readonly connectionCount: number;
  readonly listensForDesired: boolean;
}

export interface HubInspectionParts {
  readonly registry: IdentityRegistry;
  readonly clock: Clock;
  readonly connectionStatus: (clientId: string) => ConnectionStatus;
  /** The direct-method invoker the service API uses (MQTT and AMQP devices); absent, methods answer 501. */
  readonly methods?: DirectMethodInvoker;
}

/**
 * The hub's service operations the inspector needs, without a SAS token (the control plane is
 * loopback-only and test-only): the same registry calls, etag rules and error bodies as the REST
 * API, so a stale etag gets the hub's 412 PreconditionFailed exactly as azure-iothub would.
 */
export class HubInspection {
  constructor(private readonly parts: HubInspectionParts) {}

  identities(): IdentitySummary[] {
    const { registry } = this.parts;
    return registry.listDevices().flatMap((device) => [
      this.summary(device, { deviceId: device.deviceId }, device.status),
      ...registry.listModules(device.deviceId).map((module) => this.summary(module, { deviceId: device.deviceId, moduleId: module.moduleId }, device.status)),
    ]);
  }

  /** The twin as `GET /twins/{id}` answers it: tags, desired and reported with `$metadata`, and its etag. */
  twin(ref: IdentityRef): RestResponse {
    return this.answered(() => {
      const { registry } = this.parts;
      const identity = ref.moduleId === undefined ? registry.getDevice(ref.deviceId) : registry.getModule(ref.deviceId, ref.moduleId);
      const body = serializeTwin(identity, registry.getDevice(ref.deviceId));
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', etag: `"${body.etag}"` }, body: JSON.stringify(body) };
    });
  }

  /** `PATCH /twins/{id}` with If-Match: the registry's own etag check, the hub's 412 when stale. */
  patchTwin(ref: IdentityRef, readBody: () => unknown, ifMatch: string | undefined): RestResponse {
    return this.answered(() => {
      this.parts.registry.patchTwin(ref, readServicePatch(readBody()), ifMatch);
      return this.twin(ref);
    });
  }

  async invokeMethod(ref: IdentityRef, readBody: () => unknown): Promise<RestResponse> {
    const invoker = this.parts.methods;
    if (invoker === undefined) return { status: 501, headers: {}, body: JSON.stringify({ error: 'Direct methods are not served by this emulator.' }) };
    try {
      return await invokeDirectMethod({ registry: this.parts.registry, invoker }, ref, readBody);
    } catch (error) {
      return errorResponse(asHubError(error), this.parts.clock.now());
    }
  }

  private summary(record: IdentityRecord, ref: IdentityRef, status: string): IdentitySummary {
    const connection = this.parts.connectionStatus(clientIdOf(ref));
    return {
      ...ref,
      status,
      connectionState: record.connectionState,
      connectionStateUpdatedTime: record.connectionStateUpdatedTime,
      lastActivityTime: record.lastActivityTime,
      authenticationType: record.authentication.type,
      connectionCount: connection.connectionCount,
      listensForDesired: connection.listensForDesired,
    };
  }

  /** Errors in the hub's REST envelope (Message "ErrorCode:<code>;..."), as the service SDK reads them. */
  private answered(operation: () => RestResponse): RestResponse {
    try {
      return operation();
    } catch (error) {
      return errorResponse(asHubError(error), this.parts.clock.now());
    }
  }
}
