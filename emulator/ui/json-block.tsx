/** A JSON value, indented, for the twin's sections and message properties. */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return <pre class="json" data-testid={testId}>{JSON.stringify(value ?? {}, null, 2)}</pre>;
}
