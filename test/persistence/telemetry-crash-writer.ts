/**
 * Child process for the telemetry kill -9 test: an emulator with a data directory and one device
 * sending telemetry over MQTT as fast as the hub acknowledges it, reporting each acknowledged send on
 * stdout ("ack <n>") until killed.
 */
import { Message } from '../../src/sdk.js';
import { PersistentHub } from './messaging-fixture.js';

const [directory, hubName] = process.argv.slice(2);
if (directory === undefined || hubName === undefined) throw new Error('usage: telemetry-crash-writer <data directory> <hub name>');
const hub = await PersistentHub.start(directory, hubName);
const client = await hub.client(await hub.createDevice('crash-sensor'));
await client.open();
for (let n = 0; ; n++) {
  await client.sendEvent(new Message(`reading ${n}`));
  process.stdout.write(`ack ${n}\n`);
}
