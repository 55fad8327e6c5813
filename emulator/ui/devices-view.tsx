import { useEffect, useState } from 'preact/hooks';
import { clientIdOf, CONTROL, formatTime, getJson, sameIdentity, type IdentityRef, type IdentitySummary } from './api';

interface DevicesViewProps {
  readonly revision: number;
  readonly selected: IdentityRef | undefined;
  readonly onSelect: (identity: IdentityRef) => void;
}

/** Devices and modules with their state, searchable by id; refetched whenever the registry or a connection changes. */
export function DevicesView({ revision, selected, onSelect }: DevicesViewProps) {
  const [identities, setIdentities] = useState<readonly IdentitySummary[]>([]);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [search, setSearch] = useState('');
  useEffect(() => {
    getJson<{ identities: IdentitySummary[] }>(`${CONTROL}/identities`).then(
      (answer) => {
        setIdentities(answer.identities);
        setFailure(undefined);
      },
      (error: unknown) => setFailure(String(error)),
    );
  }, [revision]);
  const needle = search.trim().toLowerCase();
  const shown = identities.filter((identity) => clientIdOf(identity).toLowerCase().includes(needle));
  return (
    <section class="panel devices" aria-label="Devices and modules">
      <input type="search" placeholder="Search devices and modules" value={search} onInput={(event) => setSearch(event.currentTarget.value)} data-testid="device-search" />
      {failure !== undefined && <p class="error">{failure}</p>}
      <table data-testid="device-list">
        <thead>
          <tr><th>Identity</th><th>Status</th><th>Connection</th><th>Auth</th><th>Last activity</th></tr>
        </thead>
        <tbody>
          {shown.map((identity) => (
            <IdentityRow key={clientIdOf(identity)} identity={identity} selected={selected !== undefined && sameIdentity(selected, identity)} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p class="muted">{identities.length === 0 ? 'No devices yet: create one with azure-iothub or the CLI.' : 'Nothing matches the search.'}</p>}
    </section>
  );
}

function IdentityRow({ identity, selected, onSelect }: { identity: IdentitySummary; selected: boolean; onSelect: (identity: IdentityRef) => void }) {
  const ref: IdentityRef = identity.moduleId === undefined ? { deviceId: identity.deviceId } : { deviceId: identity.deviceId, moduleId: identity.moduleId };
  return (
    <tr class={selected ? 'selected' : ''} onClick={() => onSelect(ref)} data-testid="device-row" data-client-id={clientIdOf(identity)}>
      <td>{identity.moduleId === undefined ? identity.deviceId : <span class="module">{identity.deviceId} / {identity.moduleId}</span>}</td>
      <td><span class={`badge ${identity.status}`}>{identity.status}</span></td>
      <td data-testid="connection-state"><span class={`badge ${identity.connectionState.toLowerCase()}`}>{identity.connectionState}</span></td>
      <td>{identity.authenticationType}</td>
      <td>{formatTime(identity.lastActivityTime)}</td>
    </tr>
  );
}
