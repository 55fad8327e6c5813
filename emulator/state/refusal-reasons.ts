import type { RefusalReason } from './activity.js';

/**
 * The refusal texts the checks give (token-auth.ts, certificate-auth.ts, rest/service-auth.ts, the
 * AMQP attach and $cbs checks, the MQTT CONNECT checks), each mapped to the reason an operator looks
 * for. Order matters: a certificate's "expired" is a certificate refusal, not an expired token. The
 * texts are the checks' own (test/unit/refusal-reasons.test.ts produces each through the real check
 * and pins its reason; test/observe/refusal-reasons.test.ts end to end), so the checks keep returning
 * one sentence each rather than a code the adapters would all have to carry.
 */
const RULES: readonly (readonly [RegExp, RefusalReason])[] = [
  [/no authorization header|no credential|not a sas token|not a valid sharedaccesssignature|audience is not a valid uri|names no shared access policy/i, 'malformed-token'],
  [/uses sas authentication, not x\.509|does not use sas authentication/i, 'wrong-authentication-type'],
  [/client certificate|certificate's|thumbprint/i, 'certificate-mismatch'],
  [/which this hub does not have/i, 'unknown-policy'],
  [/signature does not match|not signed by a key/i, 'wrong-key'],
  [/expired/i, 'expired-token'],
  [/disabled/i, 'disabled-identity'],
  [/not registered|does not contain|unknown client identity|neither this hub nor one of its devices/i, 'unknown-identity'],
  [/lacks|put a token that grants/i, 'missing-permission'],
  [/another resource|does not cover/i, 'wrong-audience'],
  [/topic/i, 'forbidden-topic'],
  [/username|api-version|client id '|unsupported|needs a name/i, 'bad-request'],
];

/**
 * What the sentences quote ('<device id>', '<policy>', '<address>') is the caller's, not the check's:
 * a device named `expired-1` must not turn "the device is disabled" into an expired token. A quote
 * opens after a space or a parenthesis, so the apostrophe of "certificate's" is left alone.
 */
const QUOTED = /(^|[\s(])'[^']*'/g;

/** The reason behind a refusal's text; `other` for a text no rule knows. */
export function refusalReasonOf(text: string): RefusalReason {
  const ownWords = text.replace(QUOTED, "$1''");
  return RULES.find(([pattern]) => pattern.test(ownWords))?.[1] ?? 'other';
}
