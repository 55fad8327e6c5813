import type { ReadyLine } from 'iothub-emulator';
import type { ProvisioningEndpoint } from '../../flows/provisioning.js';

/**
 * An emulator running outside the test process (a child process or a container), described by what
 * its CLI prints when ready (docs/standalone-emulator.md, "Ready line"), plus how to stop it.
 */
export interface LaunchedEmulator {
  readonly serviceConnectionString: string;
  /** PEM file of the certificate clients must trust. */
  readonly caCertificatePath: string;
  /** Base URL of the HTTP control plane, e.g. https://localhost:443/_emulator. */
  readonly controlPlaneUrl?: string;
  /** Where Mqtt clients connect when that is not HostName:8883, e.g. localhost:40123. */
  readonly gatewayHostName?: string;
  /** The built-in endpoint's Event Hub-compatible connection string (from the ready line). */
  readonly eventHubsConnectionString?: string;
  /** The emulator's Device Provisioning Service (from the ready line). */
  readonly provisioning?: ProvisioningEndpoint;
  stop(): Promise<void>;
}

/** The emulator CLI's ready line, as read by launchers: the type the CLI prints. */
export type { ReadyLine };

export function parseReadyLine(line: string): ReadyLine {
  const parsed = JSON.parse(line) as Partial<ReadyLine>;
  for (const field of ['serviceConnectionString', 'caCertificatePath', 'hostName', 'httpsPort', 'mqttPort'] as const) {
    if (parsed[field] === undefined) throw new Error(`The emulator's ready line has no '${field}'.`);
  }
  return parsed as ReadyLine;
}
