import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs, UsageError } from '../../emulator/cli/args.js';

describe('CLI options of the Event Hub-compatible endpoint', () => {
  it('defaults to 4 partitions, $Default only and 10,000 events per partition', () => {
    const { eventHub } = parseCliArgs([], {});
    assert.deepEqual([eventHub.partitionCount, eventHub.consumerGroups, eventHub.retention.maxEvents], [4, [], 10_000]);
  });
  it('takes partitions, consumer groups and the events kept', () => {
    const { eventHub } = parseCliArgs(['--event-hub-partitions', '8', '--event-hub-consumer-groups', 'analytics, alerts', '--event-hub-max-events', '50'], {});
    assert.deepEqual([eventHub.partitionCount, eventHub.consumerGroups, eventHub.retention.maxEvents], [8, ['analytics', 'alerts'], 50]);
  });
  it('refuses what a hub would not have, as a usage error', () => {
    for (const args of [['--event-hub-partitions', '1'], ['--event-hub-partitions', '129'], ['--event-hub-max-events', '0'], ['--event-hub-consumer-groups', 'bad name']]) {
      assert.throws(() => parseCliArgs(args, {}), UsageError, args.join(' '));
    }
  });
});
