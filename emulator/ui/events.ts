import { useEffect, useState } from 'preact/hooks';
import { CONTROL, type ActivityEntry, type TelemetryEntry } from './api';

/** How many telemetry messages and activity entries the page keeps (newest first). */
const KEPT = 200;

export interface HubEvents {
  /** Whether the event stream is open (EventSource reconnects by itself after a drop). */
  readonly live: boolean;
  /** Bumped on every registry or connection change: views that show them fetch again. */
  readonly revision: number;
  readonly connectedClientIds: readonly string[];
  readonly telemetry: readonly TelemetryEntry[];
  readonly activity: readonly ActivityEntry[];
}

const INITIAL: HubEvents = { live: false, revision: 0, connectedClientIds: [], telemetry: [], activity: [] };

function parse(event: Event): unknown {
  return JSON.parse((event as MessageEvent<string>).data) as unknown;
}

function connectedIds(event: Event): string[] {
  return (parse(event) as { connectedClientIds: string[] }).connectedClientIds;
}

/**
 * The hub's live state from `GET /_emulator/events` (server-sent events, emulator/control/event-stream.ts):
 * the stream carries what changed, and the views fetch what they show, so a missed event costs
 * nothing but a refetch at the next one (and a reconnect bumps the revision).
 */
export function useHubEvents(): HubEvents {
  const [state, setState] = useState<HubEvents>(INITIAL);
  useEffect(() => {
    const source = new EventSource(`${CONTROL}/events`);
    const update = (change: (current: HubEvents) => HubEvents): void => setState(change);
    source.addEventListener('hello', (event) => update((current) => ({ ...current, live: true, revision: current.revision + 1, connectedClientIds: connectedIds(event) })));
    source.addEventListener('connections', (event) => update((current) => ({ ...current, revision: current.revision + 1, connectedClientIds: connectedIds(event) })));
    source.addEventListener('registry', () => update((current) => ({ ...current, revision: current.revision + 1 })));
    source.addEventListener('telemetry', (event) => {
      const entry = parse(event) as TelemetryEntry | { cleared: true };
      update((current) => ({ ...current, telemetry: 'cleared' in entry ? [] : [entry, ...current.telemetry].slice(0, KEPT) }));
    });
    source.addEventListener('activity', (event) => {
      const entry = parse(event) as ActivityEntry;
      update((current) => ({ ...current, activity: [entry, ...current.activity].slice(0, KEPT) }));
    });
    source.addEventListener('error', () => update((current) => ({ ...current, live: false })));
    return () => source.close();
  }, []);
  return state;
}
