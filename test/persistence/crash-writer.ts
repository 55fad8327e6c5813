/**
 * Child process for the kill -9 test: an emulator with a data directory, written to as fast as the
 * service can, reporting each acknowledged write on stdout ("ack <device> <counter>") until killed.
 */
import { IotHubEmulator } from '../../emulator/index.js';
import { Registry } from '../../src/sdk.js';

const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: crash-writer <data directory>');
const emulator = await new IotHubEmulator().withDataDirectory(directory).start();
const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
process.stdout.write(`ready ${emulator.getServiceConnectionString().length}\n`);
for (let counter = 1; ; counter++) {
  const deviceId = `crash-${counter % 5}`;
  if (counter <= 5) await registry.create({ deviceId });
  // Each twin's desired `counter` always equals its desired $version - 1: a torn write would break that.
  const twin = (await registry.getTwin(deviceId)).responseBody as unknown as { properties: { desired: { $version: number } } };
  await registry.updateTwin(deviceId, { properties: { desired: { counter: twin.properties.desired.$version } } }, '*');
  process.stdout.write(`ack ${deviceId} ${twin.properties.desired.$version + 1}\n`);
}
