import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ActivityEvent, ActivityFeed } from '../state/activity.js';
import type { ChangeFeed } from '../state/change-feed.js';
import type { JsonObject } from '../state/json.js';
import type { RegistryChange } from '../state/registry-changes.js';
import type { TelemetryChange } from '../state/telemetry.js';
import { telemetryDocument } from './http-messages.js';

/** A comment line this often keeps the stream open through idle periods (and tells a dead client apart). */
const HEARTBEAT_MS = 15_000;

/**
 * A tab that stops reading (a paused debugger, a sleeping laptop) must not make the emulator buffer
 * every telemetry message for it: past this much unsent data the stream is closed, and the page's
 * EventSource reconnects and starts again from the current state.
 */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/** The change feeds the inspector's live views are built from. */
export interface EventSources {
  readonly registry: ChangeFeed<RegistryChange>;
  readonly telemetry: ChangeFeed<TelemetryChange>;
  /** Emits `change` whenever a client connects or disconnects, over any transport. */
  readonly connections: EventEmitter;
  readonly connectedClientIds: () => string[];
  readonly activity?: ActivityFeed;
}

/**
 * `GET /_emulator/events`: server-sent events (WHATWG HTML, "Server-sent events") for the web
 * inspector, one per change: `registry` (which identity changed and how, never its record: records
 * carry keys), `telemetry` (the message, the user's own data), `connections` (the connected ids) and
 * `activity` (connections, disconnections, refusals with their reason; secret-free by construction).
 */
export function serveEventStream(sources: EventSources, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  const send = (event: string, data: JsonObject): void => {
    if (response.destroyed) return;
    if (response.writableLength > MAX_UNSENT_BYTES) {
      response.destroy();
      return;
    }
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  send('hello', { connectedClientIds: sources.connectedClientIds() });
  const onConnections = (): void => send('connections', { connectedClientIds: sources.connectedClientIds() });
  sources.connections.on('change', onConnections);
  const stops = [
    sources.registry.subscribe((change) => send('registry', registryEvent(change))),
    sources.telemetry.subscribe((change) => send('telemetry', change.type === 'telemetry-enqueued' ? telemetryDocument(change.message) : { cleared: true })),
    sources.activity?.subscribe((event) => {
      const shown = activityEvent(event);
      if (shown !== undefined) send('activity', shown);
    }),
    () => sources.connections.off('change', onConnections),
  ];
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS).unref();
  response.once('close', () => {
    clearInterval(heartbeat);
    for (const stop of stops) stop?.();
  });
}

function registryEvent(change: RegistryChange): JsonObject {
  if (change.type === 'registry-cleared') return { change: change.type };
  const { deviceId, moduleId } = change.identity;
  const event: JsonObject = { change: change.type, deviceId };
  if (moduleId !== undefined) event.moduleId = moduleId;
  if ('version' in change) event.version = change.version;
  return event;
}

/** Field by field, so that nothing an adapter might one day add to an event reaches the page unread. */
function activityEvent(event: ActivityEvent): JsonObject | undefined {
  const at = event.at.toISOString();
  switch (event.type) {
    case 'refused':
      return { type: event.type, at, transport: event.transport, reason: event.reason, detail: event.detail, ...(event.claimedBy === undefined ? {} : { claimedBy: event.claimedBy }) };
    case 'connected':
      return { type: event.type, at, transport: event.transport, clientId: event.clientId, authentication: event.authentication };
    case 'disconnected':
      return { type: event.type, at, transport: event.transport, clientId: event.clientId, reason: event.reason };
    case 'desired-delivered':
      return { type: event.type, at, transport: event.transport, clientId: event.clientId, version: event.version };
    default:
      return undefined;
  }
}
