import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendTelemetry } from '../../src/flows/device-messaging.js';
import { NoRetry } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { connectionRecord, registerX509, x509Client, type X509Identity } from './x509-fixture.js';

const TIMEOUT_MS = 5_000;

/**
 * X.509 refusals over AMQP. An X.509 client puts no token on $cbs, so `open()` succeeds and the
 * hub's check comes at the first link attach (AMQP wire notes §8): the send fails with
 * UnauthorizedError, nothing is kept, and the registry shows no connection.
 */
describe('X.509 refusals over AMQP', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let untrustedCa: CertificateAndKey;
  before(async () => {
    const trustedCa = await certificateAuthority('Trusted AMQP Test CA');
    untrustedCa = await certificateAuthority('Untrusted AMQP Test CA');
    hub = await HubFixture.start({ configure: (builder) => builder.withX509CertificateAuthority(trustedCa.cert) });
  });
  after(async () => {
    await hub.stop();
  });

  async function assertSendRefused(identity: X509Identity, credentials: CertificateAndKey, transport: 'amqp' | 'amqp-ws'): Promise<void> {
    const before = await connectionRecord(hub, identity);
    const client = await x509Client(hub, identity, credentials, transport);
    client.setRetryPolicy(new NoRetry());
    try {
      await client.open();
      await assert.rejects(withDeadline(sendTelemetry(client, 'refused'), TIMEOUT_MS, 'the refused send'), (error: Error) => error.name === 'UnauthorizedError');
    } finally {
      await withDeadline(client.close(), TIMEOUT_MS, 'the client to close').catch(() => undefined);
    }
    assert.equal(hub.emulator.control.telemetry(identity).length, 0, 'nothing was kept');
    assert.deepEqual(await connectionRecord(hub, identity), before, 'the registry shows no connection change');
  }

  it('refuses a selfSigned device whose certificate is not the registered one (amqp)', async () => {
    const identity = { deviceId: newId('ss-amqp') };
    await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(await deviceCertificate(identity.deviceId)) });
    await assertSendRefused(identity, await deviceCertificate(identity.deviceId), 'amqp');
  });

  it('refuses a certificateAuthority device signed by a CA the hub does not trust (amqp-ws)', async () => {
    const identity = { deviceId: newId('ca-amqp') };
    await registerX509(hub, identity, { type: 'certificateAuthority' });
    await assertSendRefused(identity, await deviceCertificate(identity.deviceId, { issuer: untrustedCa }), 'amqp-ws');
  });

  it('refuses a SAS device that presents a certificate instead of a token (amqp)', async () => {
    const device = await hub.createDevice(newId('sas-amqp'));
    await assertSendRefused({ deviceId: device.deviceId }, await deviceCertificate(device.deviceId), 'amqp');
  });
});
