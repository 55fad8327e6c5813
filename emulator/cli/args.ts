import { logOptions } from './log-options.js';
import type { LogFormat, LogLevel } from '../observe/log-settings.js';
import { parseArgs } from 'node:util';
import { certificateCacheDirectory } from './cache-directory.js';
import { DEFAULT_EVENT_HUB_OPTIONS, type EventHubOptions } from '../state/event-hub-store.js';
import type { ProvisioningSettings } from '../provisioning-core.js';
import { assertValidSymmetricKey } from '../state/keys.js';

/** The stable development key of the iothubowner policy (docs/standalone-emulator.md): like Azurite's well-known key, public by design. */
export const DEVELOPMENT_POLICY_KEY = 'aW90aHViLWVtdWxhdG9yLWRldmVsb3BtZW50LWtleSE=';

export interface CliOptions {
  readonly host: string;
  readonly httpsPort: number;
  readonly mqttPort: number;
  /** AMQP over TLS (the service SDK's `Client`, the Event Hub-compatible endpoint): 5671 as on the hub. */
  readonly amqpPort: number;
  /** Plain AMQP on loopback for `UseDevelopmentEmulator=true` clients; off when absent. */
  readonly amqpPlainPort?: number;
  readonly hostName: string;
  readonly certPath?: string;
  readonly keyPath?: string;
  /** Where a generated certificate is written; a fresh temporary directory when absent. */
  readonly certDir?: string;
  /** Where a generated certificate is kept between starts (cli/certificate-cache.ts); none when absent. */
  readonly certCacheDir?: string;
  readonly policyKey: string;
  /** Keeps registry, twins, keys, certificate and MQTT sessions across restarts (in memory when absent). */
  readonly dataDir?: string;
  readonly controlPlane: boolean;
  readonly allowRemoteControlPlane: boolean;
  /** The built-in Event Hub-compatible endpoint: partitions, consumer groups besides $Default, events kept per partition. */
  readonly eventHub: EventHubOptions;
  /** PEM files of CA certificates the hub trusts for certificateAuthority identities (`--x509-ca`, repeatable). */
  readonly x509CaPaths: readonly string[];
  /** The Device Provisioning Service: ID scope, own host name, provisioningserviceowner key (generated / the host name when absent). */
  readonly provisioning: ProvisioningSettings;
  /** The request log on stderr (docs/observability.md): `--log-level`, `--log-format` or their environment variables. */
  readonly requestLog: { readonly level: LogLevel; readonly format: LogFormat };
  readonly help: boolean;
}

export class UsageError extends Error {}

const OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  'https-port': { type: 'string', default: '443' },
  'mqtt-port': { type: 'string', default: '8883' },
  'amqp-port': { type: 'string', default: '5671' },
  'amqp-plain-port': { type: 'string' },
  'host-name': { type: 'string', default: 'localhost' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'cert-dir': { type: 'string' },
  'policy-key': { type: 'string' },
  data: { type: 'string' },
  'control-plane': { type: 'boolean', default: false },
  'allow-remote-control-plane': { type: 'boolean', default: false },
  'event-hub-partitions': { type: 'string', default: String(DEFAULT_EVENT_HUB_OPTIONS.partitionCount) },
  'event-hub-consumer-groups': { type: 'string', default: '' },
  'event-hub-max-events': { type: 'string', default: String(DEFAULT_EVENT_HUB_OPTIONS.retention.maxEvents) },
  'x509-ca': { type: 'string', multiple: true },
  'dps-id-scope': { type: 'string' },
  'dps-mqtt-port': { type: 'string' },
  'dps-host-name': { type: 'string' },
  'dps-service-key': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together: give both or neither.');
  const certCacheDir = certificateCacheDirectory(env);
  return {
    host: values.host,
    httpsPort: port(values['https-port'], '--https-port'),
    mqttPort: port(values['mqtt-port'], '--mqtt-port'),
    amqpPort: port(values['amqp-port'], '--amqp-port'),
    ...(values['amqp-plain-port'] === undefined ? {} : { amqpPlainPort: port(values['amqp-plain-port'], '--amqp-plain-port') }),
    hostName: values['host-name'],
    ...(values.cert === undefined ? {} : { certPath: values.cert }),
    ...(values.key === undefined ? {} : { keyPath: values.key }),
    ...(values['cert-dir'] === undefined ? {} : { certDir: values['cert-dir'] }),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    ...(certCacheDir === undefined ? {} : { certCacheDir }),
    // The key may come from the environment so that it stays out of `ps` output.
    policyKey: values['policy-key'] ?? env.IOTHUB_EMULATOR_POLICY_KEY ?? DEVELOPMENT_POLICY_KEY,
    controlPlane: values['control-plane'],
    allowRemoteControlPlane: values['allow-remote-control-plane'],
    eventHub: eventHubOptions(values['event-hub-partitions'], values['event-hub-consumer-groups'], values['event-hub-max-events']),
    x509CaPaths: values['x509-ca'] ?? [],
    // The key may come from the environment so that it stays out of `ps` output.
    provisioning: {
      ...provisioningOptions({ idScope: values['dps-id-scope'], hostName: values['dps-host-name'], serviceKey: values['dps-service-key'] ?? env.IOTHUB_EMULATOR_DPS_SERVICE_KEY }),
      mqttPort: dpsMqttPort(values['dps-mqtt-port'], port(values['mqtt-port'], '--mqtt-port')),
    },
    requestLog: logOptions({ level: values['log-level'], format: values['log-format'] }, env, (message) => new UsageError(message)),
    help: values.help,
  };
}

function port(raw: string, flag: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new UsageError(`${flag} must be a port number (0-65535; 0 picks a free one), not '${raw}'.`);
  return value;
}

/** `--event-hub-*`: checked here so that a bad value is a usage error, not a start-up failure. */
function eventHubOptions(partitions: string, consumerGroups: string, maxEvents: string): EventHubOptions {
  const partitionCount = Number(partitions);
  if (!Number.isInteger(partitionCount) || partitionCount < 2 || partitionCount > 128) throw new UsageError(`--event-hub-partitions must be 2 to 128 (a new hub has 4), not '${partitions}'.`);
  const kept = Number(maxEvents);
  if (!Number.isInteger(kept) || kept < 1) throw new UsageError(`--event-hub-max-events must be a positive integer, not '${maxEvents}'.`);
  const groups = consumerGroups.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const invalid = groups.filter((name) => !/^[A-Za-z0-9$][A-Za-z0-9._$-]{0,49}$/.test(name));
  if (invalid.length > 0) throw new UsageError(`--event-hub-consumer-groups: invalid name(s) ${invalid.join(', ')} (letters, digits, . _ - $; at most 50).`);
  return { partitionCount, consumerGroups: groups, retention: { ...DEFAULT_EVENT_HUB_OPTIONS.retention, maxEvents: kept } };
}

/** `--dps-*`: an ID scope is alphanumeric (it goes verbatim into paths, SAS resources and MQTT usernames); the key is a SAS key. */
function provisioningOptions(given: { idScope: string | undefined; hostName: string | undefined; serviceKey: string | undefined }): ProvisioningSettings {
  if (given.idScope !== undefined && !/^[A-Za-z0-9]{1,64}$/.test(given.idScope)) throw new UsageError(`--dps-id-scope must be 1-64 letters or digits (DPS generates 0ne and 8 hex digits), not '${given.idScope}'.`);
  if (given.hostName !== undefined && !/^[A-Za-z0-9.-]{1,253}$/.test(given.hostName)) throw new UsageError(`--dps-host-name must be a host name, not '${given.hostName}'.`);
  if (given.serviceKey !== undefined) {
    try {
      assertValidSymmetricKey(given.serviceKey, 'key');
    } catch {
      throw new UsageError('--dps-service-key must be a base64 string of 16 to 64 bytes.');
    }
  }
  return {
    ...(given.idScope === undefined ? {} : { idScope: given.idScope }),
    ...(given.hostName === undefined ? {} : { hostName: given.hostName }),
    ...(given.serviceKey === undefined ? {} : { serviceKey: given.serviceKey }),
  };
}

/**
 * 8884 beside the hub's standard 8883; when the hub's MQTT port is another one (free ports for
 * tests, several emulators side by side), a free one too, so that no fixed port is taken unasked.
 */
function dpsMqttPort(raw: string | undefined, hubMqttPort: number): number {
  if (raw !== undefined) return port(raw, '--dps-mqtt-port');
  return hubMqttPort === 8883 ? 8884 : 0;
}
