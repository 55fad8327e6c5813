import type { SharedAccessPolicy } from '../../state/policies.js';

/** The AMQPS port Event Hubs clients dial when `Endpoint` names none (wire notes §1.1). */
const DEFAULT_AMQPS_PORT = 5671;

/**
 * The built-in endpoint's "Event Hub-compatible" connection string, as the portal shows it under
 * Built-in endpoints: `Endpoint=sb://<host>[:<port>]/;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=<hub>`.
 * The port is left out when it is 5671, the one clients dial by default.
 */
export function eventHubsConnectionString(init: { readonly hostName: string; readonly port: number; readonly policy: SharedAccessPolicy; readonly hubName: string }): string {
  const port = init.port === DEFAULT_AMQPS_PORT ? '' : `:${init.port}`;
  return `Endpoint=sb://${init.hostName}${port}/;SharedAccessKeyName=${init.policy.name};SharedAccessKey=${init.policy.primaryKey};EntityPath=${init.hubName}`;
}

/**
 * The same string for the plain loopback listener: `UseDevelopmentEmulator=true` makes core-amqp dial
 * TCP instead of TLS, on the Endpoint's port (5672 when none; connectionConfig.js, ConnectionContextBase.js),
 * so the port is always written. `::1` is written bare, as core-amqp reads it (its "special local IPs").
 */
export function developmentEmulatorConnectionString(init: { readonly host: string; readonly port: number; readonly policy: SharedAccessPolicy; readonly hubName: string }): string {
  return `Endpoint=sb://${init.host}:${init.port}/;SharedAccessKeyName=${init.policy.name};SharedAccessKey=${init.policy.primaryKey};EntityPath=${init.hubName};UseDevelopmentEmulator=true`;
}
