import { useEffect, useState } from 'preact/hooks';
import { getJson, twinPath, valuesOf, type IdentityRef, type TwinDocument } from './api';
import { JsonBlock } from './json-block';
import { TwinEditor } from './twin-editor';

/** Tags, desired and reported with `$metadata`, fetched again on every registry change: it follows the twin live. */
export function TwinView({ identity, revision }: { identity: IdentityRef; revision: number }) {
  const [twin, setTwin] = useState<TwinDocument | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  useEffect(() => {
    getJson<TwinDocument>(twinPath(identity)).then(
      (document) => {
        setTwin(document);
        setFailure(undefined);
      },
      (error: unknown) => setFailure(String(error)),
    );
  }, [identity, revision]);
  if (failure !== undefined) return <p class="error">{failure}</p>;
  if (twin === undefined) return <p class="muted">Loading the twin…</p>;
  const { desired, reported } = twin.properties;
  return (
    <section class="twin" aria-label="Twin" data-testid="twin">
      <p class="versions">
        etag <code data-testid="twin-etag">{twin.etag}</code> · version {twin.version} · desired $version <strong data-testid="desired-version">{String(desired.$version)}</strong> · reported $version <strong data-testid="reported-version">{String(reported.$version)}</strong>
      </p>
      <div class="twin-sections">
        <div><h4>Tags</h4><JsonBlock value={twin.tags ?? {}} testId="twin-tags" /></div>
        <div><h4>Desired</h4><JsonBlock value={valuesOf(desired)} testId="twin-desired" /></div>
        <div><h4>Reported</h4><JsonBlock value={valuesOf(reported)} testId="twin-reported" /></div>
      </div>
      <details>
        <summary>$metadata</summary>
        <div class="twin-sections">
          <div><h4>Desired $metadata</h4><JsonBlock value={desired.$metadata} testId="desired-metadata" /></div>
          <div><h4>Reported $metadata</h4><JsonBlock value={reported.$metadata} /></div>
        </div>
      </details>
      <TwinEditor identity={identity} twin={twin} />
    </section>
  );
}
