import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';
import { consumerFor } from '../amqp/event-hub-fixture.js';

/** `--amqp-plain-port`: the standalone emulator's plain loopback AMQP listener, announced in the ready line. */
void test('--amqp-plain-port serves UseDevelopmentEmulator=true clients and is announced in the ready line', async () => {
  const cli = await spawnEmulatorCli(['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0', '--amqp-plain-port', '0']);
  try {
    const { amqpPlainPort, eventHubsDevelopmentConnectionString } = cli.ready;
    assert.ok(amqpPlainPort !== undefined && amqpPlainPort > 0, `amqpPlainPort ${amqpPlainPort}`);
    const connectionString = eventHubsDevelopmentConnectionString ?? assert.fail('no eventHubsDevelopmentConnectionString in the ready line');
    assert.ok(connectionString.includes(`sb://127.0.0.1:${amqpPlainPort}/`), connectionString);
    const consumer = consumerFor(connectionString);
    try {
      assert.deepEqual(await consumer.getPartitionIds(), ['0', '1', '2', '3'], 'the $management node answers over plain TCP');
    } finally {
      await consumer.close();
    }
  } finally {
    assert.equal(await cli.stop(), 0);
  }
});

void test('without --amqp-plain-port the ready line has no plain port', async () => {
  const cli = await spawnEmulatorCli(['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0']);
  try {
    assert.equal(cli.ready.amqpPlainPort, undefined);
    assert.equal(cli.ready.eventHubsDevelopmentConnectionString, undefined);
  } finally {
    await cli.stop();
  }
});
