import assert from 'node:assert/strict';
import { it } from 'node:test';
import { HubMetrics } from '../../emulator/observe/hub-metrics.js';
import { ActivityFeed } from '../../emulator/state/activity.js';
import { ChangeFeed } from '../../emulator/state/change-feed.js';
import type { RegistryChange } from '../../emulator/state/registry-changes.js';

const TELEMETRY_LINE = /^iothub_emulator_telemetry_in_total\{transport="mqtt"\} (\d+)$/m;

function telemetryCount(text: string): number {
  return Number(TELEMETRY_LINE.exec(text)?.[1] ?? 0);
}

function announceTelemetry(activity: ActivityFeed): void {
  activity.announce({ type: 'telemetry', at: new Date(0), transport: 'mqtt', deviceId: 'd1', properties: {}, bodyBytes: 3 });
}

// An emulator stopped and started again in one process (the embedded target does this per feature)
// must not leave its metrics listening to the old feeds: stop() detaches them.
void it('counts what the feed announces until it is stopped, and nothing after', async () => {
  const activity = new ActivityFeed();
  const metrics = new HubMetrics({ activity, registryChanges: new ChangeFeed<RegistryChange>() });
  announceTelemetry(activity);
  assert.equal(telemetryCount(await metrics.scrape()), 1);
  metrics.stop();
  announceTelemetry(activity);
  assert.equal(telemetryCount(await metrics.scrape()), 1);
});
