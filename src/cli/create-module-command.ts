import { parseArgs } from 'node:util';
import { buildModuleConnectionString, describeServiceConnection } from '../connection-string.js';
import { createModuleIdentity } from '../flows/create-module-identity.js';
import { Registry } from '../sdk.js';
import { say } from './output.js';

export const createModuleUsage = `create-module --device <id> --module <id> [--show-connection-string]
  Registers the device and the module with hub-generated keys (an existing one is reused), as the
  tutorial's CreateModule app does. Keys are printed only with --show-connection-string.`;

export async function createModuleCommand(args: string[], serviceConnectionString: string): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { device: { type: 'string', default: 'myFirstDevice' }, module: { type: 'string', default: 'myFirstModule' }, 'show-connection-string': { type: 'boolean', default: false } },
  });
  const registry = Registry.fromConnectionString(serviceConnectionString);
  const identity = await createModuleIdentity(registry, { deviceId: values.device, moduleId: values.module });
  say(identity.deviceCreated ? `Created device '${identity.deviceId}'.` : `Device '${identity.deviceId}' already exists; using it.`);
  say(identity.moduleCreated ? `Created module '${identity.moduleId}'.` : `Module '${identity.moduleId}' already exists; using it.`);
  if (!values['show-connection-string']) {
    say('Module connection string: not printed (it holds the key); pass --show-connection-string to print it.');
    return;
  }
  const { hostName } = describeServiceConnection(serviceConnectionString);
  say(buildModuleConnectionString({ hostName, deviceId: identity.deviceId, moduleId: identity.moduleId, sharedAccessKey: identity.primaryKey }));
}
