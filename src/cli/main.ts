import { createModuleCommand, createModuleUsage } from './create-module-command.js';
import { complain } from './output.js';
import { enrollGroupCommand, enrollGroupUsage } from './enroll-group-command.js';
import { provisionCommand, provisionUsage } from './provision-command.js';
import { receivePatchesCommand, receivePatchesUsage } from './receive-patches-command.js';
import { updateTwinCommand, updateTwinUsage } from './update-twin-command.js';

const USAGE = `Usage: iothub-tutorial <command> [options]

The three apps of the "module identity and module twin" tutorial, against the hub in
IOTHUB_CONNECTION_STRING (a policy with registry write and service connect); receive-patches
connects as the module with IOTHUB_MODULE_CONNECTION_STRING.

  ${createModuleUsage}

  ${updateTwinUsage}

  ${receivePatchesUsage}

  ${enrollGroupUsage}

  ${provisionUsage}
`;

function requireEnv(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set. See --help.`);
  return value;
}

async function run(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'create-module':
      return createModuleCommand(args, requireEnv('IOTHUB_CONNECTION_STRING'));
    case 'update-twin':
      return updateTwinCommand(args, requireEnv('IOTHUB_CONNECTION_STRING'));
    case 'enroll-group':
      return enrollGroupCommand(args, requireEnv('IOTHUB_DPS_SERVICE_CONNECTION_STRING'));
    case 'provision':
      return provisionCommand(args, { host: process.env.IOTHUB_DPS_HOST?.trim() || 'global.azure-devices-provisioning.net', idScope: requireEnv('IOTHUB_DPS_ID_SCOPE') });
    case 'receive-patches':
      return receivePatchesCommand(args, requireEnv('IOTHUB_MODULE_CONNECTION_STRING'));
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      throw new Error(`Unknown command '${command}'. See --help.`);
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    complain(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
