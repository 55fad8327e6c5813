import { useState } from 'preact/hooks';
import { CONTROL, describeFailure, request, twinPath, type IdentityRef } from './api';

type Outcome = { ok: boolean; text: string } | undefined;

function OutcomeLine({ outcome, testId }: { outcome: Outcome; testId: string }) {
  return outcome === undefined ? null : <p class={outcome.ok ? 'ok' : 'error'} role="status" data-testid={testId}>{outcome.text}</p>;
}

/** Queues a cloud-to-device message in the device's hub queue, as the service client's send does. */
export function SendMessage({ identity }: { identity: IdentityRef }) {
  const [body, setBody] = useState('');
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  if (identity.moduleId !== undefined) return <p class="muted">Cloud-to-device messages go to devices, not modules.</p>;
  const send = async (): Promise<void> => {
    const reply = await request('POST', `${CONTROL}/devices/${encodeURIComponent(identity.deviceId)}/messages`, { body: { bodyText: body } });
    setOutcome(reply.status === 200 ? { ok: true, text: 'Queued.' } : { ok: false, text: describeFailure(reply) });
  };
  return (
    <form class="action" onSubmit={(event) => { event.preventDefault(); void send(); }}>
      <h4>Send a cloud-to-device message</h4>
      <input value={body} onInput={(event) => setBody(event.currentTarget.value)} placeholder="message body" data-testid="c2d-body" />
      <button type="submit" data-testid="c2d-send">Send</button>
      <OutcomeLine outcome={outcome} testId="c2d-outcome" />
    </form>
  );
}

/** Invokes a direct method through the service API's own invoker, and shows the device's answer (or the hub's error). */
export function InvokeMethod({ identity }: { identity: IdentityRef }) {
  const [methodName, setMethodName] = useState('');
  const [payload, setPayload] = useState('{}');
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  const invoke = async (): Promise<void> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload) as unknown;
    } catch {
      setOutcome({ ok: false, text: 'The payload is not valid JSON.' });
      return;
    }
    setOutcome({ ok: true, text: 'Waiting for the device…' });
    const reply = await request('POST', `${twinPath(identity)}/methods`, { body: { methodName, payload: parsed, responseTimeoutInSeconds: 10 } });
    setOutcome(reply.status === 200 ? { ok: true, text: `Answered: ${JSON.stringify(reply.body)}` } : { ok: false, text: describeFailure(reply) });
  };
  return (
    <form class="action" onSubmit={(event) => { event.preventDefault(); void invoke(); }}>
      <h4>Invoke a direct method</h4>
      <input value={methodName} onInput={(event) => setMethodName(event.currentTarget.value)} placeholder="method name" data-testid="method-name" />
      <input value={payload} onInput={(event) => setPayload(event.currentTarget.value)} placeholder="payload (JSON)" data-testid="method-payload" />
      <button type="submit" data-testid="method-invoke">Invoke</button>
      <OutcomeLine outcome={outcome} testId="method-outcome" />
    </form>
  );
}
