/**
 * Etags as IoT Hub forms them for twins: base64 of the twin version as an 8-byte big-endian integer
 * (version 1 -> "AAAAAAAAAAE="). See shared/reference/iothub-sdk-wire-notes.md §3, "Module twin".
 * Identity (device/module) etags use the same encoding of their own revision counter.
 */
export function etagForVersion(version: number): string {
  // Two 32-bit halves rather than a BigInt: versions are safe integers, and this runs on every twin write.
  const buffer = Buffer.alloc(8);
  buffer.writeUInt32BE(Math.floor(version / 2 ** 32), 0);
  buffer.writeUInt32BE(version % 2 ** 32, 4);
  return buffer.toString('base64');
}

/** Strips the quotes the SDKs put around an If-Match value (`_ensureQuoted`). */
export function unquoteEtag(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) return trimmed.slice(1, -1);
  return trimmed;
}

/**
 * RFC 7232 §3.1 If-Match as the hub applies it: absent means unconditional, `*` matches any existing
 * resource, anything else must equal the current etag.
 */
export function ifMatchSatisfied(ifMatch: string | undefined, currentEtag: string): boolean {
  if (ifMatch === undefined) return true;
  const wanted = unquoteEtag(ifMatch);
  return wanted === '*' || wanted === currentEtag;
}
