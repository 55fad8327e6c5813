import { createSasToken } from '../../emulator/state/sas.js';
import { parseConnectionString } from '../../src/connection-string.js';

/** The `Authorization` value the service SDK would send, made from a service connection string. */
export function serviceTokenFor(connectionString: string, lifetimeSeconds = 3600): string {
  const fields = parseConnectionString(connectionString);
  return createSasToken({
    resourceUri: fields.get('HostName') ?? '',
    base64Key: fields.get('SharedAccessKey') ?? '',
    keyName: fields.get('SharedAccessKeyName') ?? '',
    expiry: Math.floor(Date.now() / 1000) + lifetimeSeconds,
  });
}
