import { readFile } from 'node:fs/promises';
import { IotHubEmulator, type StartedIotHubEmulator } from '../emulator.js';
import { HubError } from '../errors.js';
import { assertValidSymmetricKey } from '../state/keys.js';
import type { CliOptions } from './args.js';
import { loadOrGenerateTls, writeCaCertificate } from './tls-files.js';

export interface RunningEmulator {
  readonly emulator: StartedIotHubEmulator;
  readonly caCertificatePath: string;
}

/** A failure the user can act on: printed as is, exit code 2. */
export class StartupError extends Error {}

export async function startStandaloneEmulator(options: CliOptions): Promise<RunningEmulator> {
  try {
    assertValidSymmetricKey(options.policyKey, 'policy key');
  } catch {
    throw new StartupError('--policy-key must be a base64 string of 16 to 64 bytes (the hub\'s rule for SAS keys).');
  }
  // With --data and no --cert, the certificate is the one kept in the data directory, so clients that
  // trust it keep working across restarts.
  const keepsItsOwnCertificate = options.dataDir !== undefined && options.certPath === undefined;
  const tls = keepsItsOwnCertificate ? undefined : await loadOrGenerateTls({ ...options, bindAddress: options.host, otherHostNames: options.provisioning.hostName === undefined ? [] : [options.provisioning.hostName] });
  const builder = new IotHubEmulator()
    .withRestFrontEnd('https')
    .withBindAddress(options.host)
    .withHostName(options.hostName)
    .withHttpsPort(options.httpsPort)
    .withMqttPort(options.mqttPort)
    .withAmqpPort(options.amqpPort)
    .withEventHub(options.eventHub)
    .withProvisioning(options.provisioning)
    .withOwnerKey(options.policyKey)
    .withControlPlane(options.controlPlane, { allowRemote: options.allowRemoteControlPlane })
    // stderr, as the CLI's own lines: stdout stays the one JSON ready line scripts and launchers read.
    .withRequestLog(options.requestLog);
  if (tls !== undefined) builder.withTlsMaterial(tls.material);
  for (const pem of await readCaFiles(options.x509CaPaths)) builder.withX509CertificateAuthority(pem);
  if (options.dataDir !== undefined) builder.withDataDirectory(options.dataDir);
  if (options.amqpPlainPort !== undefined) builder.withAmqpPlainPort(options.amqpPlainPort);
  try {
    const emulator = await builder.start();
    const caCertificatePath = tls?.caCertificatePath ?? (await writeCaCertificate(emulator.caCertificate, options.certDir ?? options.dataDir ?? '.'));
    return { emulator, caCertificatePath };
  } catch (error) {
    throw explainStartupFailure(error, options);
  }
}

/** `--x509-ca` files; one that cannot be read is a start-up error naming it. */
async function readCaFiles(paths: readonly string[]): Promise<string[]> {
  return Promise.all(
    paths.map((path) =>
      readFile(path, 'utf8').catch((error: unknown) => {
        throw new StartupError(`--x509-ca ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }),
    ),
  );
}

function explainStartupFailure(error: unknown, options: CliOptions): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${options.host} (HTTPS ${options.httpsPort}, MQTT ${options.mqttPort}, AMQP ${options.amqpPort}, DPS MQTT ${options.provisioning.mqttPort ?? 0})`;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `A port is already in use on ${where}. Stop whatever holds it, or pick other ports with --https-port / --mqtt-port / --amqp-port / --dps-mqtt-port ` +
        '(0 picks a free one; note the SDKs dial 443 for REST and MqttWs, 8883 for Mqtt and 5671 for AMQP unless told otherwise), or run the emulator in a container.',
    );
  }
  if (code === 'EACCES') {
    return new StartupError(
      `Not allowed to listen on ${where}: ports below 1024 need privileges. Run it in a container, pick ports >= 1024 ` +
        '(--https-port / --mqtt-port / --amqp-port), grant the capability (sudo setcap cap_net_bind_service=+ep "$(command -v node)"), ' +
        'or lower the limit (sudo sysctl net.ipv4.ip_unprivileged_port_start=443).',
    );
  }
  // A --x509-ca file that is not a CA certificate (state/certificate-authorities.ts).
  if (error instanceof HubError) return new StartupError(`--x509-ca: ${error.message}`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`The bind address ${options.host} is not an address of this machine (--host).`);
  if (error instanceof Error && error.message.startsWith('Refusing')) return new StartupError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}
