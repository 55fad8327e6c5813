import { etagForVersion } from '../state/etag.js';
import type { DeviceRecord, IdentityRecord, ModuleRecord } from '../state/identity.js';
import type { TwinProperties, TwinState } from '../state/twin.js';
import { twinEtag } from '../state/twin.js';

/** Response bodies shaped after the swagger definitions `Device`, `Module` and `Twin` (2021-04-12). */
function authentication(identity: IdentityRecord) {
  const sas = identity.authentication.type === 'sas';
  return {
    // X.509 identities have no keys the caller may see (the stored ones are unknown to everyone).
    symmetricKey: sas ? { primaryKey: identity.keys.primaryKey, secondaryKey: identity.keys.secondaryKey } : { primaryKey: null, secondaryKey: null },
    x509Thumbprint: { ...identity.authentication.thumbprints },
    type: identity.authentication.type,
  };
}

function scopes(device: DeviceRecord) {
  return { ...(device.deviceScope === undefined ? {} : { deviceScope: device.deviceScope }), parentScopes: [...device.parentScopes] };
}

/** `cloudToDeviceMessageCount`: the messages waiting in the device's queue (0 where no queue is served). */
export function serializeDevice(device: DeviceRecord, cloudToDeviceMessageCount = 0) {
  return {
    deviceId: device.deviceId,
    generationId: device.generationId,
    etag: etagForVersion(device.revision),
    connectionState: device.connectionState,
    status: device.status,
    statusReason: device.statusReason,
    connectionStateUpdatedTime: device.connectionStateUpdatedTime,
    statusUpdatedTime: device.statusUpdatedTime,
    lastActivityTime: device.lastActivityTime,
    cloudToDeviceMessageCount,
    authentication: authentication(device),
    capabilities: { iotEdge: device.iotEdge },
    ...scopes(device),
  };
}

export function serializeModule(module: ModuleRecord) {
  return {
    moduleId: module.moduleId,
    managedBy: module.managedBy,
    deviceId: module.deviceId,
    generationId: module.generationId,
    etag: etagForVersion(module.revision),
    connectionState: module.connectionState,
    connectionStateUpdatedTime: module.connectionStateUpdatedTime,
    lastActivityTime: module.lastActivityTime,
    cloudToDeviceMessageCount: 0,
    authentication: authentication(module),
  };
}

/**
 * Views share the stored objects instead of copying them: the state is never mutated in place (every
 * change builds new objects, merge-patch.ts, metadata.ts) and views are only serialised. Cloning here was
 * the largest single cost of a twin update in the profile (docs/benchmarks.md).
 */
function serializeProperties(properties: TwinProperties) {
  return { ...properties.values, $metadata: properties.metadata, $version: properties.version };
}

/** Device twins carry the device's capabilities and scopes; module twins their module id. */
export function serializeTwin(identity: IdentityRecord & { moduleId?: string }, device: DeviceRecord) {
  const twin: TwinState = identity.twin;
  return {
    deviceId: identity.deviceId,
    ...(identity.moduleId === undefined ? {} : { moduleId: identity.moduleId }),
    etag: twinEtag(twin),
    deviceEtag: etagForVersion(identity.revision),
    status: device.status,
    ...(device.statusReason === null ? {} : { statusReason: device.statusReason }),
    statusUpdateTime: device.statusUpdatedTime,
    connectionState: identity.connectionState,
    lastActivityTime: identity.lastActivityTime,
    cloudToDeviceMessageCount: 0,
    authenticationType: identity.authentication.type,
    x509Thumbprint: { ...identity.authentication.thumbprints },
    modelId: '',
    version: twin.version,
    tags: twin.tags,
    properties: { desired: serializeProperties(twin.desired), reported: serializeProperties(twin.reported) },
    ...(identity.moduleId === undefined ? { capabilities: { iotEdge: device.iotEdge }, ...scopes(device) } : {}),
  };
}
