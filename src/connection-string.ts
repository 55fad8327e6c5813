/**
 * IoT Hub connection strings: `;`-separated `Name=value` pairs, each split on its first `=` so that
 * base64 padding in keys survives (the SDKs parse them the same way).
 */
export function parseConnectionString(connectionString: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0) throw new Error('The connection string is malformed: expected Name=value pairs separated by ";".');
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1));
  }
  return fields;
}

export interface ServiceConnection {
  readonly hostName: string;
  readonly policyName: string;
}

/** The parts of a service connection string that are safe to print (never the key). */
export function describeServiceConnection(connectionString: string): ServiceConnection {
  const fields = parseConnectionString(connectionString);
  const hostName = fields.get('HostName');
  const policyName = fields.get('SharedAccessKeyName');
  if (hostName === undefined || policyName === undefined || !fields.has('SharedAccessKey')) {
    throw new Error('A service connection string needs HostName, SharedAccessKeyName and SharedAccessKey.');
  }
  return { hostName, policyName };
}

/** A device identity, or a module identity when `moduleId` is given, with the key it signs with. */
export interface IdentityConnectionInit {
  readonly hostName: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly sharedAccessKey: string;
  /** Where the client connects, when that is not the hub itself (the emulator's MQTT endpoint). */
  readonly gatewayHostName?: string;
}

export interface ModuleConnectionInit extends IdentityConnectionInit {
  readonly moduleId: string;
}

/**
 * The one builder of device and module connection strings: what the portal shows for the identity,
 * plus `GatewayHostName` when the client connects elsewhere than HostName.
 */
export function buildConnectionString(init: IdentityConnectionInit): string {
  const module = init.moduleId === undefined ? '' : `;ModuleId=${init.moduleId}`;
  const gateway = init.gatewayHostName === undefined ? '' : `;GatewayHostName=${init.gatewayHostName}`;
  return `HostName=${init.hostName};DeviceId=${init.deviceId}${module};SharedAccessKey=${init.sharedAccessKey}${gateway}`;
}

/** What the portal shows as the module's connection string; the tutorial copies it from there. */
export function buildModuleConnectionString(init: ModuleConnectionInit): string {
  return buildConnectionString(init);
}
