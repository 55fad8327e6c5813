import { parseArgs } from 'node:util';
import { updateModuleTwinDesiredProperties } from '../flows/update-module-twin.js';
import { Registry } from '../sdk.js';
import { say, withoutMetadata } from './output.js';

export const updateTwinUsage = `update-twin --device <id> --module <id> [--desired '{"telemetryInterval":122}']
  Reads the module twin and patches its desired properties with the twin's etag, as the tutorial's
  UpdateModuleTwinDesiredProperties app does.`;

function parseDesired(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('--desired must be a JSON object.');
  return value as Record<string, unknown>;
}

export async function updateTwinCommand(args: string[], serviceConnectionString: string): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      device: { type: 'string', default: 'myFirstDevice' },
      module: { type: 'string', default: 'myFirstModule' },
      desired: { type: 'string', default: '{"telemetryInterval":122}' },
    },
  });
  const registry = Registry.fromConnectionString(serviceConnectionString);
  const { before, after } = await updateModuleTwinDesiredProperties(registry, {
    deviceId: values.device,
    moduleId: values.module,
    desired: parseDesired(values.desired),
  });
  say(`Desired properties before (etag ${before.etag}): ${JSON.stringify(withoutMetadata(before.desired))}`);
  say(`Desired properties after (etag ${after.etag}): ${JSON.stringify(withoutMetadata(after.desired))}`);
}
