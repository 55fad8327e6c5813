import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AuthenticationType } from 'azure-iot-common';
import type { Client as DeviceClientType, ModuleClient as ModuleClientType } from 'azure-iot-device';
import { Amqp, AmqpWs, DeviceClient, Http, ModuleClient, Mqtt, MqttWs } from '../sdk.js';
import type { DeviceTransport } from './device-twin-session.js';

export type DeviceSideClient = DeviceClientType | ModuleClientType;

export interface DeviceSideIdentity {
  readonly hostName: string;
  readonly deviceId: string;
  readonly moduleId?: string;
}

/** The SDK's transport constructor for each transport name. */
const PROTOCOLS = { mqtt: Mqtt, 'mqtt-ws': MqttWs, amqp: Amqp, 'amqp-ws': AmqpWs, http: Http } as const;

/** The device SDK's transport (its `Protocol` constructor) for a transport name. */
export function protocolFor(transport: DeviceTransport): (typeof PROTOCOLS)[DeviceTransport] {
  return PROTOCOLS[transport];
}

/** A device's (or module's) client from its connection string, over the given transport, as the tutorials create it. */
export function clientFromConnectionString(connectionString: string, isModule: boolean, transport: DeviceTransport = 'mqtt'): DeviceSideClient {
  const protocol = PROTOCOLS[transport];
  return isModule ? ModuleClient.fromConnectionString(connectionString, protocol) : DeviceClient.fromConnectionString(connectionString, protocol);
}

/**
 * A SAS token the application made itself from the identity's key ("Control access to IoT Hub",
 * "Security tokens": sr = url-encoded resource, sig = HMAC-SHA256 of `sr\nse`).
 */
export function makeDeviceToken(identity: DeviceSideIdentity, base64Key: string, expiresAtSeconds: number): string {
  const resource = `${identity.hostName}/devices/${identity.deviceId}${identity.moduleId === undefined ? '' : `/modules/${identity.moduleId}`}`;
  const sr = encodeURIComponent(resource);
  const signature = createHmac('sha256', Buffer.from(base64Key, 'base64')).update(`${sr}\n${expiresAtSeconds}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(signature)}&se=${expiresAtSeconds}`;
}

export interface OwnTokenInit {
  readonly identity: DeviceSideIdentity;
  readonly token: string;
  readonly gatewayHostName?: string;
  readonly claimIdentity?: boolean;
  readonly transport?: DeviceTransport;
}

/**
 * A client that authenticates with a token the application made. On a real hub this is the SDK's
 * `fromSharedAccessSignature` (which takes the identity from the token); with a gateway (the
 * emulator's MQTT port, which a token cannot name), or to claim an identity other than the token's
 * (`claimIdentity`, a negative case), it is the SDK's public `fromAuthenticationProvider` with a
 * provider that hands out that token for `identity`.
 */
export function clientFromOwnToken(init: OwnTokenInit): DeviceSideClient {
  const isModule = init.identity.moduleId !== undefined;
  const protocol = PROTOCOLS[init.transport ?? 'mqtt'];
  if (init.gatewayHostName === undefined && init.claimIdentity !== true) {
    return isModule ? ModuleClient.fromSharedAccessSignature(init.token, protocol) : DeviceClient.fromSharedAccessSignature(init.token, protocol);
  }
  const provider = new FixedTokenProvider({
    host: init.identity.hostName,
    deviceId: init.identity.deviceId,
    ...(init.identity.moduleId === undefined ? {} : { moduleId: init.identity.moduleId }),
    sharedAccessSignature: init.token,
    ...(init.gatewayHostName === undefined ? {} : { gatewayHostName: init.gatewayHostName }),
  });
  return isModule ? ModuleClient.fromAuthenticationProvider(provider, protocol) : DeviceClient.fromAuthenticationProvider(provider, protocol);
}

interface TokenCredentials {
  readonly host: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly sharedAccessSignature: string;
  readonly gatewayHostName?: string;
}

/** The SDK's AuthenticationProvider contract for token authentication (type 1 = Token); never renews. */
class FixedTokenProvider extends EventEmitter {
  /** AuthenticationType.Token: azure-iot-common's enum is not a dependency of this project, only its type. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- see above
  readonly type: AuthenticationType = 1;

  constructor(private readonly credentials: TokenCredentials) {
    super();
  }

  getDeviceCredentials(callback: (error?: Error, credentials?: TokenCredentials) => void): void;
  getDeviceCredentials(): Promise<TokenCredentials>;
  getDeviceCredentials(callback?: (error?: Error, credentials?: TokenCredentials) => void): Promise<TokenCredentials> | undefined {
    if (callback === undefined) return Promise.resolve(this.credentials);
    callback(undefined, this.credentials);
    return undefined;
  }

  stop(): void {
    // Nothing to stop: the token is fixed.
  }
}
