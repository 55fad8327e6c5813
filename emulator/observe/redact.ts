/**
 * The second line of defence: events carry no credentials (state/activity.ts), and every line is
 * still scrubbed of what a SAS credential looks like before it is written: a token's `sig=`, a
 * connection string's `SharedAccessKey=`, an Authorization header's `SharedAccessSignature ...`.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/SharedAccessSignature\s+[^\s"',]+/gi, 'SharedAccessSignature [redacted]'],
  [/(sig(?:=|%3D))[^&\s"',;]+/gi, '$1[redacted]'],
  [/(SharedAccessKey(?:=|%3D))[^;\s"',&]+/gi, '$1[redacted]'],
];

export function redactSecrets(line: string): string {
  return PATTERNS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
}
