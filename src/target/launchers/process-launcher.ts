import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchedEmulator } from './launched-emulator.js';
import { pickHubAddress } from './loopback-address.js';
import { spawnEmulatorCli } from './spawn-emulator-cli.js';

/**
 * The `process` target: the standalone emulator as a child process, HTTPS on 443 and AMQPS on 5671
 * (the service SDK cannot dial other ports), MQTT/TLS on a free port given to clients as
 * GatewayHostName, control plane on, loopback only.
 */
export async function launchProcessEmulator(logTo: NodeJS.WritableStream = process.stderr): Promise<LaunchedEmulator> {
  // The service SDK dials HostName on 443 (Registry) and 5671 (Client, over AMQP): both must be free there.
  const address = await pickHubAddress(443, 5671);
  const certDir = await mkdtemp(join(tmpdir(), 'iothub-emulator-'));
  const cli = await spawnEmulatorCli(
    ['--host', address.host, '--host-name', address.hostName, '--https-port', '443', '--amqp-port', '5671', '--mqtt-port', '0', '--cert-dir', certDir, '--control-plane'],
    { logTo },
  );
  const { ready } = cli;
  return {
    serviceConnectionString: ready.serviceConnectionString,
    caCertificatePath: ready.caCertificatePath,
    ...(ready.controlPlaneUrl === undefined ? {} : { controlPlaneUrl: ready.controlPlaneUrl }),
    ...(ready.gatewayHostName === undefined ? {} : { gatewayHostName: ready.gatewayHostName }),
    eventHubsConnectionString: ready.eventHubsConnectionString,
    provisioning: { host: ready.provisioningHost, idScope: ready.idScope, serviceConnectionString: ready.provisioningServiceConnectionString },
    stop: async () => {
      await cli.stop();
    },
  };
}
