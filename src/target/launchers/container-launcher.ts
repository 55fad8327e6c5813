import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_IMAGE, IotHubEmulatorContainer } from 'iothub-emulator-testcontainers';
import type { LaunchedEmulator } from './launched-emulator.js';
import { pickHubAddress } from './loopback-address.js';

/**
 * The `container` target (docs/container.md): the emulator image started through the testcontainers
 * module, then used exactly like the `process` target: HTTPS on 443 and AMQPS on 5671 of a free
 * loopback address (the service SDK dials no other ports), MQTT/TLS on a free port, control plane on. The image is
 * IOTHUB_EMULATOR_IMAGE, or what scripts/docker/build-image.sh tags by default.
 */
export async function launchContainerEmulator(logTo: NodeJS.WritableStream = process.stderr): Promise<LaunchedEmulator> {
  const image = process.env.IOTHUB_EMULATOR_IMAGE?.trim() || DEFAULT_EMULATOR_IMAGE;
  // The service SDK dials HostName on 443 (Registry) and 5671 (Client, over AMQP): both must be free there.
  const address = await pickHubAddress(443, 5671);
  const startedAt = performance.now();
  const container = await new IotHubEmulatorContainer(image)
    .withBindAddress(address.host)
    .withHubHostName(address.hostName)
    .withHttpsPort(443)
    .withAmqpPort(5671)
    .withMqttPort(0)
    .withControlPlane()
    .start();
  logTo.write(
    `[container-launcher] ${image} ready in ${Math.round(performance.now() - startedAt)} ms on ${address.host} ` +
      `(HTTPS ${container.getHttpsPort()}, MQTT/TLS ${container.getMqttPort()}, container ${container.getId().slice(0, 12)})\n`,
  );
  try {
    // The CA file lives in the container; the launcher and cucumber need it on this side.
    const caDirectory = await mkdtemp(join(tmpdir(), 'iothub-container-ca-'));
    const caCertificatePath = join(caDirectory, 'ca.pem');
    await writeFile(caCertificatePath, container.getCaCertificate());
    const gatewayHostName = container.getGatewayHostName();
    return {
      serviceConnectionString: container.getServiceConnectionString(),
      caCertificatePath,
      controlPlaneUrl: container.getControlPlaneUrl(),
      eventHubsConnectionString: container.getEventHubsConnectionString(),
      provisioning: { host: container.getProvisioningHost(), idScope: container.getIdScope(), serviceConnectionString: container.getProvisioningServiceConnectionString() },
      ...(gatewayHostName === undefined ? {} : { gatewayHostName }),
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    await container.stop();
    throw error;
  }
}
