import { useState } from 'preact/hooks';
import { clientIdOf, type IdentityRef } from './api';
import { InvokeMethod, SendMessage } from './actions';
import { ConnectionsView } from './connections-view';
import { DevicesView } from './devices-view';
import { useHubEvents, type HubEvents } from './events';
import { TelemetryTail } from './telemetry-tail';
import { TwinView } from './twin-view';

type View = 'devices' | 'telemetry' | 'connections';

const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'devices', label: 'Devices' },
  { view: 'telemetry', label: 'Telemetry' },
  { view: 'connections', label: 'Connections' },
];

/** The inspector: the hub's live state from the control plane (docs/inspector.md). */
export function App() {
  const events = useHubEvents();
  const [view, setView] = useState<View>('devices');
  const [selected, setSelected] = useState<IdentityRef | undefined>(undefined);
  return (
    <>
      <header>
        <h1>IoT Hub emulator</h1>
        <nav>
          {VIEWS.map(({ view: name, label }) => (
            <button type="button" key={name} class={name === view ? 'active' : ''} onClick={() => setView(name)} data-testid={`nav-${name}`}>{label}</button>
          ))}
        </nav>
        <span class={events.live ? 'live on' : 'live'} data-testid="live">{events.live ? 'live' : 'not connected'}</span>
      </header>
      <main>
        {view === 'devices' && <DevicesPage events={events} selected={selected} onSelect={setSelected} />}
        {view === 'telemetry' && <section class="panel"><h3>Telemetry from every device</h3><TelemetryTail entries={events.telemetry} /></section>}
        {view === 'connections' && <ConnectionsView connectedClientIds={events.connectedClientIds} activity={events.activity} />}
      </main>
    </>
  );
}

function DevicesPage({ events, selected, onSelect }: { events: HubEvents; selected: IdentityRef | undefined; onSelect: (identity: IdentityRef) => void }) {
  return (
    <div class="columns">
      <DevicesView revision={events.revision} selected={selected} onSelect={onSelect} />
      {selected === undefined ? <p class="muted panel">Pick a device or module to see its twin, telemetry and actions.</p> : (
        <section class="panel detail" key={clientIdOf(selected)} data-testid="identity-detail">
          <h2 data-testid="identity-title">{clientIdOf(selected)}</h2>
          <TwinView identity={selected} revision={events.revision} />
          <h3>Telemetry</h3>
          <TelemetryTail entries={events.telemetry} identity={selected} />
          <div class="actions">
            <SendMessage identity={selected} />
            <InvokeMethod identity={selected} />
          </div>
        </section>
      )}
    </div>
  );
}
