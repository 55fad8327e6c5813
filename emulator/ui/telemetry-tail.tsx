import { clientIdOf, formatTime, type IdentityRef, type TelemetryEntry } from './api';
import { JsonBlock } from './json-block';

/** Device-to-cloud messages as they arrive, newest first: one identity's, or everyone's without `identity`. */
export function TelemetryTail({ entries, identity }: { entries: readonly TelemetryEntry[]; identity?: IdentityRef }) {
  const shown = identity === undefined ? entries : entries.filter((entry) => entry.deviceId === identity.deviceId && entry.moduleId === identity.moduleId);
  return (
    <section class="telemetry" aria-label="Telemetry" data-testid="telemetry-tail">
      {shown.length === 0 ? (
        <p class="muted">No telemetry since this page opened{identity === undefined ? '' : ` from ${clientIdOf(identity)}`}.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Time</th>{identity === undefined && <th>From</th>}<th>Body</th><th>Properties</th></tr>
          </thead>
          <tbody>
            {shown.map((entry, index) => (
              <tr key={`${entry.enqueuedTime}-${index}`} data-testid="telemetry-row">
                <td>{formatTime(entry.enqueuedTime)}</td>
                {identity === undefined && <td>{clientIdOf(entry)}{entry.outputName === undefined ? '' : ` (output ${entry.outputName})`}</td>}
                <td><code class="body">{entry.bodyText ?? `base64: ${entry.bodyBase64}`}</code></td>
                <td><JsonBlock value={{ ...entry.applicationProperties, ...prefixed(entry.systemProperties) }} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** System properties as the hub names them on the wire (`$.ct`, `$.mid`), apart from the application's own. */
function prefixed(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([name, value]) => [`$.${name}`, value]));
}
