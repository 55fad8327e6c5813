import type { RefusalReason } from './activity.js';

/**
 * The refusal texts the checks give (token-auth.ts, certificate-auth.ts, rest/service-auth.ts, the
 * AMQP attach and $cbs checks, the MQTT CONNECT checks), each mapped to the reason an operator looks
 * for. Order matters: a certificate's "expired" is a certificate refusal, not an expired token. The
 * texts are the checks' own (test/observe/refusal-reasons.test.ts pins every one of them), so the
 * checks keep returning one sentence each rather than a code the adapters would all have to carry.
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
  [/username|api-version|client id '/i, 'bad-request'],
];

/** The reason behind a refusal's text; `other` for a text no rule knows. */
export function refusalReasonOf(text: string): RefusalReason {
  return RULES.find(([pattern]) => pattern.test(text))?.[1] ?? 'other';
}
