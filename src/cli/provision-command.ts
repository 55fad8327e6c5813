import { parseArgs } from 'node:util';
import { buildConnectionString } from '../connection-string.js';
import { deriveDeviceKey, registerWithSymmetricKey, type ProvisioningEndpoint } from '../flows/provisioning.js';
import { say } from './output.js';

export const provisionUsage = `provision --registration-id <id> (--group-key <base64> | --device-key <base64>) [--show-connection-string]
  Registers the device with the Device Provisioning Service in IOTHUB_DPS_ID_SCOPE (host
  IOTHUB_DPS_HOST, default global.azure-devices-provisioning.net) with a symmetric key: its own, or
  the one derived from its enrollment group's key; prints the hub and device it was assigned to.
  Keys are printed only with --show-connection-string. The group key may also come from
  IOTHUB_DPS_GROUP_KEY, to keep it out of the shell history.`;

export async function provisionCommand(args: string[], endpoint: Pick<ProvisioningEndpoint, 'host' | 'idScope'>): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'registration-id': { type: 'string' },
      'group-key': { type: 'string' },
      'device-key': { type: 'string' },
      'show-connection-string': { type: 'boolean', default: false },
    },
  });
  const registrationId = values['registration-id'];
  if (registrationId === undefined) throw new Error('--registration-id is required. See --help.');
  const key = deviceKey(registrationId, values['device-key'], values['group-key'] ?? process.env.IOTHUB_DPS_GROUP_KEY?.trim());
  const result = await registerWithSymmetricKey(endpoint, registrationId, key);
  say(`Registration '${registrationId}': ${result.status}; assigned to hub '${result.assignedHub}' as device '${result.deviceId}'.`);
  if (!values['show-connection-string']) {
    say('Device connection string: not printed (it holds the key); pass --show-connection-string to print it.');
    return;
  }
  say(buildConnectionString({ hostName: result.assignedHub, deviceId: result.deviceId, sharedAccessKey: key }));
}

function deviceKey(registrationId: string, ownKey: string | undefined, groupKey: string | undefined): string {
  if (ownKey !== undefined) return ownKey;
  if (groupKey === undefined || groupKey === '') throw new Error('Give --device-key, or --group-key (or IOTHUB_DPS_GROUP_KEY) to derive it. See --help.');
  return deriveDeviceKey(groupKey, registrationId);
}
