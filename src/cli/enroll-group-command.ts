import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EnrollmentBackEnd } from '../flows/provisioning.js';
import { say } from './output.js';

export const enrollGroupUsage = `enroll-group --group-id <id> [--desired <json>]
  Creates (or replaces) a symmetric-key enrollment group in the Device Provisioning Service of
  IOTHUB_DPS_SERVICE_CONNECTION_STRING, its devices starting with the desired properties given.
  The group key is IOTHUB_DPS_GROUP_KEY (generated and printed when unset): provision derives each
  device's key from it.`;

export async function enrollGroupCommand(args: string[], serviceConnectionString: string): Promise<void> {
  const { values } = parseArgs({ args, options: { 'group-id': { type: 'string' }, desired: { type: 'string', default: '{}' } } });
  const id = values['group-id'];
  if (id === undefined) throw new Error('--group-id is required. See --help.');
  const desired = JSON.parse(values.desired) as Record<string, unknown>;
  const given = process.env.IOTHUB_DPS_GROUP_KEY?.trim();
  const primaryKey = given === undefined || given === '' ? randomBytes(32).toString('base64') : given;
  const backEnd = new EnrollmentBackEnd({ serviceConnectionString });
  await backEnd.createSymmetricKeyGroup({ id, primaryKey, secondaryKey: randomBytes(32).toString('base64'), desired });
  say(`Created enrollment group '${id}'.`);
  // A key the user chose stays unprinted; a generated one must be shown once, or nobody could use it.
  if (given === undefined || given === '') say(`Group key (keep it secret; set IOTHUB_DPS_GROUP_KEY to it): ${primaryKey}`);
}
