import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { createSasToken } from '../../emulator/state/sas.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { httpsText } from '../support/https-text.js';
import { certificateAuthority, daysFromNow, deviceCertificate, thumbprint, withChain, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { assertRefused, connectionRecord, registerX509, x509Client, type X509Identity } from './x509-fixture.js';

const NOT_AUTHORIZED = 5;

/**
 * Every way an X.509 CONNECT fails is refused as the hub refuses it, CONNACK 5 "not authorized"
 * (the SDK's UnauthorizedError), and leaves the registry as it was: no connection state change, no
 * connection counted (assertRefused).
 */
describe('X.509 refusals', { timeout: 120_000 }, () => {
  let hub: HubFixture;
  let trustedCa: CertificateAndKey;
  let untrustedCa: CertificateAndKey;
  before(async () => {
    [trustedCa, untrustedCa] = await Promise.all([certificateAuthority('Trusted Test CA'), certificateAuthority('Untrusted Test CA')]);
    hub = await HubFixture.start({ controlPlane: true, configure: (builder) => builder.withX509CertificateAuthority(trustedCa.cert) });
  });
  after(async () => {
    await hub.stop();
  });

  async function selfSignedDevice(): Promise<{ identity: X509Identity; registered: CertificateAndKey }> {
    const identity = { deviceId: newId('ss') };
    const registered = await deviceCertificate(identity.deviceId);
    await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(registered), secondaryThumbprint: thumbprint(registered, 'sha256') });
    return { identity, registered };
  }

  async function caDevice(): Promise<X509Identity> {
    const identity = { deviceId: newId('ca') };
    await registerX509(hub, identity, { type: 'certificateAuthority' });
    return identity;
  }

  for (const transport of ['mqtt', 'mqtt-ws'] as const) {
    it(`refuses a selfSigned device presenting a certificate whose thumbprint is not registered (${transport})`, async () => {
      const { identity } = await selfSignedDevice();
      await assertRefused(hub, identity, await x509Client(hub, identity, await deviceCertificate(identity.deviceId), transport));
    });

    it(`refuses a certificateAuthority device whose certificate comes from a CA the hub does not trust (${transport})`, async () => {
      const identity = await caDevice();
      await assertRefused(hub, identity, await x509Client(hub, identity, await deviceCertificate(identity.deviceId, { issuer: untrustedCa }), transport));
    });
  }

  it('refuses a selfSigned device whose registered certificate has expired', async () => {
    const identity = { deviceId: newId('exp') };
    const expired = await deviceCertificate(identity.deviceId, { notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) });
    await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(expired) });
    await assertRefused(hub, identity, await x509Client(hub, identity, expired));
  });

  it('refuses a selfSigned device whose registered certificate is not valid yet', async () => {
    const identity = { deviceId: newId('early') };
    const early = await deviceCertificate(identity.deviceId, { notBefore: daysFromNow(1), notAfter: daysFromNow(30) });
    await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(early) });
    await assertRefused(hub, identity, await x509Client(hub, identity, early));
  });

  it('refuses an expired leaf signed by a trusted CA', async () => {
    const identity = await caDevice();
    const leaf = await deviceCertificate(identity.deviceId, { issuer: trustedCa, notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) });
    await assertRefused(hub, identity, await x509Client(hub, identity, leaf));
  });

  it('refuses a leaf signed by a trusted CA whose CN is another device, or the device id in another case', async () => {
    const identity = await caDevice();
    for (const commonName of [newId('other'), identity.deviceId.toUpperCase()]) {
      await assertRefused(hub, identity, await x509Client(hub, identity, await deviceCertificate(commonName, { issuer: trustedCa })));
    }
  });

  it('refuses a leaf whose chain passes through an untrusted intermediate that only claims the trusted CA\'s name', async () => {
    const identity = await caDevice();
    // Same subject as the trusted CA, another key: the name links, the signature does not.
    const impostor = await certificateAuthority('Trusted Test CA');
    const leaf = await deviceCertificate(identity.deviceId, { issuer: impostor });
    await assertRefused(hub, identity, await x509Client(hub, identity, withChain(leaf, impostor)));
  });

  it('refuses a module whose certificate has the device id as its CN (a module needs deviceId/moduleId)', async () => {
    const identity = { deviceId: newId('cad'), moduleId: newId('cam') };
    await registerX509(hub, identity, { type: 'certificateAuthority' });
    await assertRefused(hub, identity, await x509Client(hub, identity, await deviceCertificate(identity.deviceId, { issuer: trustedCa })));
  });

  it('refuses a SAS device that presents only a certificate', async () => {
    const device = await hub.createDevice(newId('sas'));
    const credentials = await deviceCertificate(device.deviceId, { issuer: trustedCa });
    await assertRefused(hub, device, await x509Client(hub, device, credentials));
  });

  it('refuses a disabled selfSigned device presenting its registered certificate', async () => {
    const { identity, registered } = await selfSignedDevice();
    await hub.registry.update({ deviceId: identity.deviceId, status: 'disabled' });
    await assertRefused(hub, identity, await x509Client(hub, identity, registered));
  });

  it('refuses an X.509 device that presents no certificate, and one that sends a hub policy token instead', async () => {
    const { identity } = await selfSignedDevice();
    const before = await connectionRecord(hub, identity);
    const policyKey = /SharedAccessKey=([^;]+)/.exec(hub.serviceConnectionString)?.[1] ?? '';
    const resource = `${hub.emulator.hostName}/devices/${identity.deviceId}`;
    const policyToken = createSasToken({ resourceUri: resource, base64Key: policyKey, keyName: 'iothubowner', expiry: Math.floor(Date.now() / 1000) + 600 });
    for (const password of [undefined, policyToken]) assert.equal(await rawConnackCode(identity.deviceId, password), NOT_AUTHORIZED);
    assert.deepEqual(await connectionRecord(hub, identity), before, 'the registry shows no connection change');
    assert.equal(hub.emulator.control.connectionCount(identity), 0);
  });

  it('trusts a CA added through the control plane from then on, and refuses text that is not a CA certificate', async () => {
    const laterCa = await certificateAuthority('Later Test CA');
    const identity = await caDevice();
    const leaf = await deviceCertificate(identity.deviceId, { issuer: laterCa });
    await assertRefused(hub, identity, await x509Client(hub, identity, leaf));
    const leafAsCa = await controlPlanePost('/certificate-authorities', { certificate: leaf.cert });
    assert.equal(leafAsCa.status, 400, 'a device certificate is not a CA certificate');
    assert.equal((await controlPlanePost('/certificate-authorities', { certificate: 'not a certificate' })).status, 400);
    const added = await controlPlanePost('/certificate-authorities', { certificate: laterCa.cert });
    assert.equal(added.status, 201);
    assert.equal((added.body as { added: { thumbprintSha1: string }[] }).added[0]?.thumbprintSha1, thumbprint(laterCa).toUpperCase());
    const client = await x509Client(hub, identity, leaf);
    await client.open();
    assert.equal(hub.emulator.control.isConnected(identity), true);
    await client.close();
  });

  async function controlPlanePost(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const reply = await httpsText({ url: `${hub.controlPlaneUrl}${path}`, method: 'POST', ca: hub.emulator.caCertificate, headers: { 'content-type': 'application/json' } }, JSON.stringify(body));
    return { status: reply.status, body: JSON.parse(reply.text) as unknown };
  }

  /** A CONNECT the SDK cannot be made to send: X.509 identity, no certificate; with or without a password. */
  async function rawConnackCode(deviceId: string, password: string | undefined): Promise<number> {
    const client = mqtt.connect({
      protocol: 'mqtts', host: '127.0.0.1', port: hub.emulator.mqttPort, ca: hub.emulator.caCertificate,
      clientId: deviceId, username: `${hub.emulator.hostName}/${deviceId}/?api-version=2021-04-12`, ...(password === undefined ? {} : { password }),
      clean: false, reconnectPeriod: 0, protocolVersion: 4,
    });
    try {
      const [error] = (await once(client, 'error')) as [Error & { code?: number }];
      return error.code ?? -1;
    } finally {
      client.end(true);
    }
  }
});
