import { useState } from 'preact/hooks';
import { formatTime, type ActivityEntry } from './api';

/** Connected clients, and a log of connections, disconnections, deliveries and refusals with their reasons. */
export function ConnectionsView({ connectedClientIds, activity }: { connectedClientIds: readonly string[]; activity: readonly ActivityEntry[] }) {
  const [refusalsOnly, setRefusalsOnly] = useState(false);
  const shown = refusalsOnly ? activity.filter((entry) => entry.type === 'refused') : activity;
  return (
    <section class="panel" aria-label="Connections">
      <h3>Connected now ({connectedClientIds.length})</h3>
      <ul class="connected" data-testid="connected-clients">
        {connectedClientIds.map((clientId) => <li key={clientId}>{clientId}</li>)}
      </ul>
      <h3>Activity</h3>
      <label class="toggle">
        <input type="checkbox" checked={refusalsOnly} onChange={(event) => setRefusalsOnly(event.currentTarget.checked)} data-testid="refusals-only" /> refusals only
      </label>
      {shown.length === 0 ? <p class="muted">Nothing yet since this page opened.</p> : (
        <table data-testid="activity-log">
          <thead>
            <tr><th>Time</th><th>Event</th><th>Transport</th><th>Who</th><th>Why</th></tr>
          </thead>
          <tbody>
            {shown.map((entry, index) => (
              <tr key={`${entry.at}-${index}`} class={entry.type} data-testid={entry.type === 'refused' ? 'refusal-row' : 'activity-row'}>
                <td>{formatTime(entry.at)}</td>
                <td>{entry.type}</td>
                <td>{entry.transport}</td>
                <td>{entry.clientId ?? entry.claimedBy ?? '—'}</td>
                <td>{describe(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function describe(entry: ActivityEntry): string {
  switch (entry.type) {
    case 'refused':
      return `${entry.reason ?? ''}: ${entry.detail ?? ''}`;
    case 'connected':
      return entry.authentication ?? '';
    case 'disconnected':
      return entry.reason ?? '';
    case 'desired-delivered':
      return `desired $version ${String(entry.version)}`;
  }
}
