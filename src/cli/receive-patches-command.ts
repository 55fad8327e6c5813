import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ModuleTwinSession } from '../flows/module-twin-session.js';
import { say, withoutMetadata } from './output.js';

export const receivePatchesUsage = `receive-patches [--count <n>] [--ca <pem file>] [--transport mqtt|mqtt-ws]
  Connects as the module (IOTHUB_MODULE_CONNECTION_STRING), prints its desired properties, then each
  desired-properties patch as it arrives, as the tutorial's ReceiveModuleTwinDesiredPropertiesPatch
  app does. Stops after --count patches, or on Ctrl+C.`;

export async function receivePatchesCommand(args: string[], moduleConnectionString: string): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { count: { type: 'string' }, ca: { type: 'string' }, transport: { type: 'string', default: 'mqtt' } },
  });
  if (values.transport !== 'mqtt' && values.transport !== 'mqtt-ws') throw new Error('--transport must be mqtt or mqtt-ws.');
  const session = await ModuleTwinSession.open({
    connectionString: moduleConnectionString,
    transport: values.transport,
    ...(values.ca === undefined ? {} : { ca: await readFile(values.ca, 'utf8') }),
  });
  say(`Connected. Desired properties: ${JSON.stringify(withoutMetadata(session.desired))}`);
  const limit = values.count === undefined ? Number.POSITIVE_INFINITY : Number(values.count);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    session.onDesiredPatch((received) => {
      say(`Received desired patch: ${JSON.stringify(received.patch)}`);
      if (session.received.length >= limit) resolve();
    });
  });
  await session.close();
}
