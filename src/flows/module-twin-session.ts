import { clientFromConnectionString } from './device-client-factory.js';
import { DeviceTwinSession, type DeviceTransport } from './device-twin-session.js';

export type { DeviceTransport, ReceivedPatch } from './device-twin-session.js';

export interface ModuleSessionOptions {
  readonly connectionString: string;
  readonly transport?: DeviceTransport;
  /** PEM of a CA to trust (the emulator's); not needed for a real hub. */
  readonly ca?: string;
  /** False gives the client the SDK's NoRetry policy: it does not reconnect after a disconnect. */
  readonly reconnect?: boolean;
}

/**
 * The tutorial's ReceiveModuleTwinDesiredPropertiesPatch app, kept open: a ModuleClient from the
 * module's connection string that reads its twin and records every desired-properties patch it
 * receives afterwards. It is the device-side twin session, opened for a module.
 */
export type ModuleTwinSession = DeviceTwinSession;

export const ModuleTwinSession = {
  async open(options: ModuleSessionOptions): Promise<ModuleTwinSession> {
    const client = clientFromConnectionString(options.connectionString, true, options.transport);
    return DeviceTwinSession.open(client, {
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      reconnect: options.reconnect ?? true,
    });
  },
};
