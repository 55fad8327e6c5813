import { etagForVersion } from '../state/etag.js';
import type { DeviceRecord, IdentityRecord, ModuleRecord } from '../state/identity.js';
import type { TwinProperties, TwinState } from '../state/twin.js';
import { twinEtag } from '../state/twin.js';

/** Response bodies shaped after the swagger definitions `Device`, `Module` and `Twin` (2021-04-12). */
function authentication(identity: IdentityRecord) {
  return {
    symmetricKey: { primaryKey: identity.keys.primaryKey, secondaryKey: identity.keys.secondaryKey },
    x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    type: 'sas',
  };
}

export function serializeDevice(device: DeviceRecord) {
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
    cloudToDeviceMessageCount: 0,
    authentication: authentication(device),
    capabilities: { iotEdge: device.iotEdge },
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

function serializeProperties(properties: TwinProperties) {
  return { ...properties.values, $metadata: properties.metadata, $version: properties.version };
}

export function serializeTwin(identity: IdentityRecord & { moduleId?: string }, device: DeviceRecord) {
  const twin: TwinState = identity.twin;
  return {
    deviceId: identity.deviceId,
    ...(identity.moduleId === undefined ? {} : { moduleId: identity.moduleId }),
    etag: twinEtag(twin),
    deviceEtag: etagForVersion(identity.revision),
    status: device.status,
    statusUpdateTime: device.statusUpdatedTime,
    connectionState: identity.connectionState,
    lastActivityTime: identity.lastActivityTime,
    cloudToDeviceMessageCount: 0,
    authenticationType: 'sas',
    x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    modelId: '',
    version: twin.version,
    tags: twin.tags,
    properties: { desired: serializeProperties(twin.desired), reported: serializeProperties(twin.reported) },
  };
}
