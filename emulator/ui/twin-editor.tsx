import { useState } from 'preact/hooks';
import { describeFailure, request, twinPath, valuesOf, type IdentityRef, type TwinDocument } from './api';

type Outcome = { ok: boolean; text: string };

interface Draft {
  readonly text: string;
  /** The twin's etag when editing began: the save is conditional on it, as the service SDK's update is. */
  readonly etag: string;
}

/**
 * Edits desired properties as a JSON merge patch (a key set to null is removed), saved with
 * `If-Match: "<etag>"`: when the twin changed since editing began, the hub's 412 is shown.
 */
export function TwinEditor({ identity, twin }: { identity: IdentityRef; twin: TwinDocument }) {
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const begin = (): void => {
    setOutcome(undefined);
    setDraft({ text: JSON.stringify(valuesOf(twin.properties.desired), null, 2), etag: twin.etag });
  };
  const save = async (current: Draft): Promise<void> => {
    const saved = await saveDesired(identity, current);
    if (saved.ok) setDraft(undefined);
    setOutcome(saved);
  };
  return (
    <div class="editor">
      {draft === undefined ? (
        <button type="button" onClick={begin} data-testid="edit-desired">Edit desired properties</button>
      ) : (
        <form onSubmit={(event) => { event.preventDefault(); void save(draft); }}>
          <label>
            Desired patch (JSON merge patch; null removes a key), conditional on etag <code data-testid="draft-etag">{draft.etag}</code>
            {draft.etag !== twin.etag && <span class="warning"> — the twin has changed since</span>}
            <textarea rows={8} value={draft.text} onInput={(event) => setDraft({ ...draft, text: event.currentTarget.value })} data-testid="desired-editor" />
          </label>
          <button type="submit" data-testid="save-desired">Save</button>
          <button type="button" onClick={() => setDraft(undefined)}>Cancel</button>
        </form>
      )}
      {outcome !== undefined && <p class={outcome.ok ? 'ok' : 'error'} role="status" data-testid="save-outcome">{outcome.text}</p>}
    </div>
  );
}

async function saveDesired(identity: IdentityRef, draft: Draft): Promise<Outcome> {
  let desired: unknown;
  try {
    desired = JSON.parse(draft.text) as unknown;
  } catch {
    return { ok: false, text: 'The patch is not valid JSON.' };
  }
  const reply = await request('PATCH', twinPath(identity), { body: { properties: { desired } }, headers: { 'if-match': `"${draft.etag}"` } });
  if (reply.status !== 200) return { ok: false, text: describeFailure(reply) };
  const saved = reply.body as TwinDocument;
  return { ok: true, text: `Saved: desired $version ${String(saved.properties.desired.$version)}` };
}
