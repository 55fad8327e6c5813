import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActivityEvent, ActivityFeed } from '../state/activity.js';
import type { RegistryChange } from '../state/registry-changes.js';
import type { ChangeFeed } from '../state/change-feed.js';

/** Seconds from a twin update to its patch leaving the emulator: sub-millisecond to a second. */
const DELIVERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * The emulator's Prometheus metrics (docs/observability.md), in a registry of its own: several
 * emulators may run in one process, and prom-client's global registry would mix them. Fed by the
 * activity feed and the registry's changes; labels are routes, statuses, transports and reasons,
 * never an id, so the series stay few.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'iothub_emulator_rest_requests_total', help: 'REST requests answered, by route and status.', labelNames: ['route', 'status'], registers: [this.registry] });
  private readonly twinUpdates = new Counter({ name: 'iothub_emulator_twin_updates_total', help: 'Twin writes, by part (desired, reported, tags).', labelNames: ['part'], registers: [this.registry] });
  private readonly patches = new Counter({ name: 'iothub_emulator_desired_patches_delivered_total', help: 'Desired-property patches pushed to devices and modules, by transport.', labelNames: ['transport'], registers: [this.registry] });
  private readonly telemetryIn = new Counter({ name: 'iothub_emulator_telemetry_in_total', help: 'Device-to-cloud messages taken in, by transport.', labelNames: ['transport'], registers: [this.registry] });
  private readonly telemetryOut = new Counter({ name: 'iothub_emulator_telemetry_out_total', help: 'Events handed to Event Hub consumers by the built-in endpoint.', labelNames: ['consumer_group'], registers: [this.registry] });
  private readonly connections = new Gauge({ name: 'iothub_emulator_connections', help: 'Devices and modules connected now, by transport.', labelNames: ['transport'], registers: [this.registry] });
  private readonly connects = new Counter({ name: 'iothub_emulator_connects_total', help: 'Device and module connections made, by transport.', labelNames: ['transport'], registers: [this.registry] });
  private readonly refusals = new Counter({ name: 'iothub_emulator_refusals_total', help: 'Connections, links and requests refused, by transport and reason.', labelNames: ['transport', 'reason'], registers: [this.registry] });
  private readonly deliveryLatency = new Histogram({
    name: 'iothub_emulator_desired_delivery_seconds', help: 'From a desired-properties update to its patch leaving the emulator.', labelNames: ['transport'], buckets: DELIVERY_BUCKETS, registers: [this.registry],
  });

  private readonly stops: (() => void)[];

  constructor(feeds: { activity: ActivityFeed; registryChanges: ChangeFeed<RegistryChange> }) {
    this.stops = [feeds.activity.subscribe((event) => this.count(event)), feeds.registryChanges.subscribe((change) => this.countTwinUpdate(change))];
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  stop(): void {
    this.stops.forEach((stop) => stop());
  }

  private count(event: ActivityEvent): void {
    switch (event.type) {
      case 'rest-request':
        this.requests.inc({ route: event.route, status: String(event.status) });
        return;
      case 'connected':
        this.connects.inc({ transport: event.transport });
        this.connections.inc({ transport: event.transport });
        return;
      case 'disconnected':
        this.connections.dec({ transport: event.transport });
        return;
      case 'refused':
        this.refusals.inc({ transport: event.transport, reason: event.reason });
        return;
      default:
        this.countTraffic(event);
    }
  }

  private countTraffic(event: ActivityEvent): void {
    if (event.type === 'telemetry') this.telemetryIn.inc({ transport: event.transport });
    if (event.type === 'events-read') this.telemetryOut.inc({ consumer_group: event.consumerGroup }, event.count);
    if (event.type === 'desired-delivered') {
      this.patches.inc({ transport: event.transport });
      this.deliveryLatency.observe({ transport: event.transport }, event.latencyMs / 1000);
    }
  }

  private countTwinUpdate(change: RegistryChange): void {
    if (change.type === 'desired-properties-patched') this.twinUpdates.inc({ part: 'desired' });
    if (change.type === 'reported-properties-patched') this.twinUpdates.inc({ part: 'reported' });
    if (change.type === 'tags-updated') this.twinUpdates.inc({ part: 'tags' });
  }
}
