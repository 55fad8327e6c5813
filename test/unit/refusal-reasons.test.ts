import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { HubError } from '../../emulator/errors.js';
import { verifyPutToken } from '../../emulator/amqp/cbs.js';
import { authenticateConnect, type ConnectAuthContext } from '../../emulator/mqtt/connect-auth.js';
import { authorizeDeviceRequest } from '../../emulator/rest/device-auth.js';
import { errorResponse } from '../../emulator/rest/error-response.js';
import { authorizeServiceRequest } from '../../emulator/rest/service-auth.js';
import { refusalTextOf } from '../../emulator/servers/request-activity.js';
import type { RefusalReason } from '../../emulator/state/activity.js';
import { CertificateAuthorities } from '../../emulator/state/certificate-authorities.js';
import { presentedCertificate } from '../../emulator/state/presented-certificate.js';
import { refusalReasonOf } from '../../emulator/state/refusal-reasons.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { VerifiedTokens } from '../../emulator/state/verified-tokens.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { FOREIGN_KEY, HOST, newPolicies, newRegistry, policyNamed, START, START_SECONDS } from './fixtures.js';

/**
 * The classifier reads the checks' sentences (state/refusal-reasons.ts). Each refusal here is made by
 * the real check, with the text each adapter really announces (MQTT: the CONNECT verdict; AMQP: the
 * $cbs description; REST: the 401 body's sentence), so a reworded check fails here instead of
 * silently becoming `other`. The ids and policy names are traps: they hold other reasons' words.
 */
const TRAP_DEVICE = 'expired-disabled-lacks-topic-thumbprint';
const UNREGISTERED = 'signature-does-not-match-expired';
const TRAP_POLICY = 'client-certificate-expired-lacks';
const LATER = START_SECONDS + 3600;

function setup() {
  const { registry } = newRegistry();
  const device = registry.createDevice(TRAP_DEVICE, undefined);
  registry.createDevice('disabled-one', undefined);
  registry.updateDevice({ deviceId: 'disabled-one', status: 'disabled' }, '*');
  registry.addDevice({ deviceId: 'x509-one', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'AB'.repeat(20) } } });
  const policies = newPolicies();
  const context: ConnectAuthContext = { hostName: HOST, registry, policies: new Map(policies.map((policy) => [policy.name, policy])), nowSeconds: START_SECONDS };
  return { registry, device, policies, context };
}

type Setup = ReturnType<typeof setup>;

function deviceToken(deviceId: string, init: { key: string; expiry?: number; resourceDeviceId?: string }): string {
  return createSasToken({ resourceUri: `${HOST}/devices/${init.resourceDeviceId ?? deviceId}`, base64Key: init.key, expiry: init.expiry ?? LATER });
}

/** What each adapter announces for a device token refused by the shared check (token-auth.ts). */
function identityRefusals(s: Setup, deviceId: string, token: string): { transport: string; text: string }[] {
  const mqtt = authenticateConnect({ clientId: deviceId, username: `${HOST}/${deviceId}/?api-version=2021-04-12`, password: Buffer.from(token) }, s.context);
  const amqp = verifyPutToken({ operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: encodeURIComponent(`${HOST}/devices/${deviceId}`), token }, s.context);
  assert.ok(!mqtt.ok && !amqp.ok, 'refused over MQTT and AMQP');
  return [
    { transport: 'mqtt', text: mqtt.reason },
    { transport: 'amqp', text: amqp.description },
    { transport: 'https', text: restRefusalText(() => authorizeDeviceRequest(token, deviceId, s.context)) },
  ];
}

/** The sentence the HTTPS listener reads back from the 401 body (servers/request-activity.ts). */
function restRefusalText(check: () => void): string {
  try {
    check();
  } catch (error) {
    assert.ok(error instanceof HubError && error.status === 401, 'a 401 HubError');
    const text = refusalTextOf(401, errorResponse(error, START).body);
    assert.ok(text !== undefined);
    return text;
  }
  assert.fail('the check refused nothing');
}

void describe('refusal reasons of the device token checks, as MQTT, AMQP and the device API announce them', () => {
  const cases: [string, RefusalReason, (s: Setup) => [string, string]][] = [
    ['not a SAS token', 'malformed-token', () => [TRAP_DEVICE, 'not-a-token']],
    ['an unregistered device', 'unknown-identity', () => [UNREGISTERED, deviceToken(UNREGISTERED, { key: FOREIGN_KEY })]],
    ['an X.509 device with a SAS token', 'wrong-authentication-type', () => ['x509-one', deviceToken('x509-one', { key: FOREIGN_KEY })]],
    ['a token for another device', 'wrong-audience', (s) => [TRAP_DEVICE, deviceToken(TRAP_DEVICE, { key: s.device.keys.primaryKey, resourceDeviceId: 'someone-else' })]],
    ['a wrong key', 'wrong-key', () => [TRAP_DEVICE, deviceToken(TRAP_DEVICE, { key: FOREIGN_KEY })]],
    ['an expired token', 'expired-token', (s) => [TRAP_DEVICE, deviceToken(TRAP_DEVICE, { key: s.device.keys.primaryKey, expiry: START_SECONDS - 1 })]],
    ['a disabled device', 'disabled-identity', (s) => ['disabled-one', deviceToken('disabled-one', { key: s.registry.getDevice('disabled-one').keys.primaryKey })]],
  ];
  for (const [name, expected, make] of cases) {
    void it(`${name}: ${expected}`, () => {
      const s = setup();
      const [deviceId, token] = make(s);
      for (const { transport, text } of identityRefusals(s, deviceId, token)) assert.equal(refusalReasonOf(text), expected, `${transport}: "${text}"`);
    });
  }
});

void describe('refusal reasons of the service token checks (REST Authorization header, AMQP $cbs for the hub)', () => {
  const serviceToken = (s: Setup, init: { policy?: string; key?: string; expiry?: number; resource?: string } = {}): string =>
    createSasToken({ resourceUri: init.resource ?? HOST, base64Key: init.key ?? policyNamed(s.policies, 'registryRead').primaryKey, expiry: init.expiry ?? LATER, keyName: init.policy ?? 'registryRead' });
  const cases: [string, RefusalReason, (s: Setup) => string | undefined][] = [
    ['no Authorization header', 'malformed-token', () => undefined],
    ['not a SAS token', 'malformed-token', () => 'Bearer something'],
    ['a token without skn', 'malformed-token', () => createSasToken({ resourceUri: HOST, base64Key: FOREIGN_KEY, expiry: LATER })],
    ['an unknown policy', 'unknown-policy', (s) => serviceToken(s, { policy: TRAP_POLICY, key: FOREIGN_KEY })],
    ['a wrong key', 'wrong-key', (s) => serviceToken(s, { key: FOREIGN_KEY })],
    ['an expired token', 'expired-token', (s) => serviceToken(s, { expiry: START_SECONDS - 1 })],
    ['a token for another hub', 'wrong-audience', (s) => serviceToken(s, { resource: 'other-hub.azure-devices.net' })],
    ['a policy without the permission', 'missing-permission', (s) => serviceToken(s)],
  ];
  for (const [name, expected, make] of cases) {
    void it(`${name}: ${expected}`, () => {
      const s = setup();
      const authorization = make(s);
      const verifiedTokens = new VerifiedTokens({ capacity: 16 });
      const rest = restRefusalText(() => authorizeServiceRequest(authorization, 'RegistryWrite', { ...s.context, verifiedTokens }));
      assert.equal(refusalReasonOf(rest), expected, `https: "${rest}"`);
      if (authorization === undefined || expected === 'missing-permission') return;
      const amqp = verifyPutToken({ operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: HOST, token: authorization }, s.context);
      assert.ok(!amqp.ok);
      assert.equal(refusalReasonOf(amqp.description), expected, `amqp: "${amqp.description}"`);
    });
  }
});

void describe('refusal reasons of the other CONNECT and $cbs checks', () => {
  void it('a malformed CONNECT (client id, username, api-version) is a bad request', () => {
    const s = setup();
    const password = Buffer.from('unused');
    for (const credentials of [
      { clientId: 'a/b/c', username: `${HOST}/a/b/c/?api-version=2021-04-12`, password },
      { clientId: TRAP_DEVICE, username: `other-host/${TRAP_DEVICE}/?api-version=2021-04-12`, password },
      { clientId: TRAP_DEVICE, username: `${HOST}/${TRAP_DEVICE}/`, password },
    ]) {
      const verdict = authenticateConnect(credentials, s.context);
      assert.ok(!verdict.ok);
      assert.equal(refusalReasonOf(verdict.reason), 'bad-request', verdict.reason);
    }
  });

  void it('a put-token that is not one, or for an audience that is neither the hub nor an identity', () => {
    const s = setup();
    const put = (request: { operation?: string; type?: string; name: string }) => verifyPutToken({ operation: 'put-token', type: 'servicebus.windows.net:sastoken', token: 'x', ...request }, s.context);
    const expectations: [ReturnType<typeof put>, RefusalReason][] = [
      [put({ operation: 'delete-token', name: HOST }), 'bad-request'],
      [put({ type: 'jwt', name: HOST }), 'bad-request'],
      [put({ name: '%E0%A4%A' }), 'malformed-token'],
      [put({ name: `${HOST}/expired/disabled` }), 'unknown-identity'],
    ];
    for (const [verdict, expected] of expectations) {
      assert.ok(!verdict.ok);
      assert.equal(refusalReasonOf(verdict.description), expected, verdict.description);
    }
  });
});

void describe('refusal reasons of the X.509 CONNECT checks', () => {
  let registered: CertificateAndKey;
  let other: CertificateAndKey;
  let expired: CertificateAndKey;
  let trusted: CertificateAndKey;
  let untrusted: CertificateAndKey;
  before(async () => {
    [registered, other, expired, trusted, untrusted] = await Promise.all([
      deviceCertificate('self-one'), deviceCertificate('self-one'),
      deviceCertificate('self-one', { notBefore: new Date(Date.now() - 2 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }),
      certificateAuthority('Trusted'), certificateAuthority('Untrusted'),
    ]);
  });

  function certificateRefusal(deviceId: string, presented: CertificateAndKey | undefined): string {
    const s = setup();
    s.registry.addDevice({ deviceId: 'self-one', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: thumbprint(registered) } } });
    s.registry.addDevice({ deviceId: 'ca-one', authentication: { type: 'certificateAuthority' } });
    s.registry.addDevice({ deviceId: 'ca-disabled', authentication: { type: 'certificateAuthority' }, status: 'disabled' });
    const authorities = new CertificateAuthorities();
    authorities.add(trusted.cert);
    const certificate = presented === undefined ? undefined : presentedCertificate([new X509Certificate(presented.cert)]);
    const credentials = { clientId: deviceId, username: `${HOST}/${deviceId}/?api-version=2021-04-12`, password: undefined, ...(certificate === undefined ? {} : { certificate }) };
    const verdict = authenticateConnect(credentials, { ...s.context, nowSeconds: Math.floor(Date.now() / 1000), authorities });
    assert.ok(!verdict.ok, `${deviceId} is refused`);
    return verdict.reason;
  }

  const cases: [string, RefusalReason, () => string | Promise<string>][] = [
    ['no certificate and no password', 'malformed-token', () => certificateRefusal('self-one', undefined)],
    ['an unregistered device', 'unknown-identity', () => certificateRefusal(UNREGISTERED, registered)],
    ['a disabled device', 'disabled-identity', async () => certificateRefusal('ca-disabled', await deviceCertificate('ca-disabled', { issuer: trusted }))],
    ['an expired certificate', 'certificate-mismatch', () => certificateRefusal('self-one', expired)],
    ['a SAS device presenting a certificate', 'wrong-authentication-type', () => certificateRefusal(TRAP_DEVICE, registered)],
    ['a thumbprint that is not registered', 'certificate-mismatch', () => certificateRefusal('self-one', other)],
    ['a CA certificate whose CN is another device', 'certificate-mismatch', async () => certificateRefusal('ca-one', await deviceCertificate('expired-someone', { issuer: trusted }))],
    ['a CA certificate from an untrusted CA', 'certificate-mismatch', async () => certificateRefusal('ca-one', await deviceCertificate('ca-one', { issuer: untrusted }))],
  ];
  for (const [name, expected, refuse] of cases) {
    void it(`${name}: ${expected}`, async () => {
      const text = await refuse();
      assert.equal(refusalReasonOf(text), expected, text);
    });
  }
});

void describe('refusal reasons of texts no rule knows', () => {
  void it('classifies them as other', () => {
    assert.equal(refusalReasonOf('the moon is in the wrong phase'), 'other');
  });
});
