import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shared access signatures as IoT Hub defines them ("Control access to IoT Hub using SAS tokens"):
 * `SharedAccessSignature sr={URL-encoded resourceURI}&sig={signature}&se={expiry}[&skn={policyName}]`,
 * where signature = base64(HMAC-SHA256(base64decode(key), "{URL-encoded resourceURI}\n{expiry}")).
 * The string that is signed is the `sr` value exactly as it appears in the token.
 */
export interface SasToken {
  /** `sr` as it appears in the token (the signed form). */
  readonly signedResource: string;
  /** `sr` URL-decoded: the resource URI itself. */
  readonly resourceUri: string;
  readonly signature: string;
  readonly expiry: number;
  readonly keyName: string | undefined;
}

const PREFIX = 'SharedAccessSignature ';

/** Returns undefined when the text is not a SAS token at all (missing fields, bad expiry). */
export function parseSasToken(text: string): SasToken | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const fields = new Map<string, string>();
  for (const part of text.slice(PREFIX.length).split('&')) {
    const equals = part.indexOf('=');
    if (equals <= 0) return undefined;
    fields.set(part.slice(0, equals), part.slice(equals + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  if (sr === undefined || sig === undefined || se === undefined || !/^\d{1,12}$/.test(se)) return undefined;
  const resourceUri = safeDecode(sr);
  const signature = safeDecode(sig);
  if (resourceUri === undefined || signature === undefined) return undefined;
  const skn = fields.get('skn');
  // A garbled skn must not read as "no skn": that would turn a policy token into an identity token.
  const keyName = skn === undefined ? undefined : safeDecode(skn);
  if (skn !== undefined && keyName === undefined) return undefined;
  return { signedResource: sr, resourceUri, signature, expiry: Number(se), keyName };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Stricter than encodeURIComponent, as the SDKs encode (RFC 3986 reserved `!'()*` too). */
export function encodeUriComponentStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function computeSignature(signedResource: string, expiry: number, base64Key: string): string {
  return createHmac('sha256', Buffer.from(base64Key, 'base64')).update(`${signedResource}\n${expiry}`).digest('base64');
}

export function createSasToken(init: { resourceUri: string; base64Key: string; expiry: number; keyName?: string }): string {
  const sr = encodeUriComponentStrict(init.resourceUri);
  const sig = encodeUriComponentStrict(computeSignature(sr, init.expiry, init.base64Key));
  const skn = init.keyName === undefined ? '' : `&skn=${encodeUriComponentStrict(init.keyName)}`;
  return `${PREFIX}sr=${sr}&sig=${sig}&se=${init.expiry}${skn}`;
}

/** True when the token was signed with one of the keys (the hub accepts the primary or the secondary). */
export function signedWithOneOf(token: SasToken, base64Keys: readonly string[]): boolean {
  // Compared as base64 text: decoding first would let junk the decoder skips ride along a valid signature.
  const presented = Buffer.from(token.signature, 'utf8');
  return base64Keys.some((key) => {
    const expected = Buffer.from(computeSignature(token.signedResource, token.expiry, key), 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

/**
 * The hub accepts a token whose resource URI is the target or a prefix of it, compared without regard
 * to case (docs: "the resource URI ... can be a prefix of the endpoint").
 */
export function resourceCovers(resourceUri: string, target: string): boolean {
  const granted = resourceUri.toLowerCase().replace(/\/+$/, '');
  const wanted = target.toLowerCase();
  return wanted === granted || wanted.startsWith(`${granted}/`);
}
