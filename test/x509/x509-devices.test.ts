import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFromConnectionString } from '../../src/flows/device-client-factory.js';
import { sendTelemetry } from '../../src/flows/device-messaging.js';
import type { DeviceTransport } from '../../src/flows/device-twin-session.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { certificateAuthority, deviceCertificate, thumbprint, withChain, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { connectionRecord, registerX509, x509Client, type X509Identity } from './x509-fixture.js';

/**
 * Devices and modules that authenticate with X.509 certificates, with the official device SDK over
 * MQTT/TLS, MQTT over WebSockets, AMQPS and AMQP over WebSockets (over AMQP the certificate stands
 * in for a $cbs token at each link attach) ("Authenticate identities with X.509 certificates"): self-signed
 * certificates matched by thumbprint, CA-signed ones by CN and chain.
 */
describe('X.509 devices and modules connect with their certificates', { timeout: 120_000 }, () => {
  let hub: HubFixture;
  let rootCa: CertificateAndKey;
  let intermediateCa: CertificateAndKey;
  before(async () => {
    rootCa = await certificateAuthority('Emulator Test Root CA');
    intermediateCa = await certificateAuthority('Emulator Test Intermediate CA', { issuer: rootCa });
    hub = await HubFixture.start({ configure: (builder) => builder.withX509CertificateAuthority(rootCa.cert) });
  });
  after(async () => {
    await hub.stop();
  });

  /** Opens, reads the twin (desired set by the back end first), sends telemetry, closes: what a device app does. */
  async function connectAndWork(identity: X509Identity, credentials: CertificateAndKey, transport: DeviceTransport): Promise<void> {
    await hub.registry.updateTwin(identity.deviceId, { tags: { x509: true } }, '*').catch(() => undefined);
    const clientId = identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
    const authentications: string[] = [];
    const stop = hub.emulator.activity.subscribe((event) => event.type === 'connected' && event.clientId === clientId && authentications.push(event.authentication));
    const session = await DeviceTwinSession.open(await x509Client(hub, identity, credentials, transport), { reconnect: false }).finally(stop);
    try {
      assert.deepEqual(authentications, ['x509'], 'the activity feed tells how the connection authenticated');
      assert.equal(hub.emulator.control.isConnected(identity), true);
      assert.equal((await connectionRecord(hub, identity)).connectionState, 'Connected');
      await sendTelemetry(session.client, `{"from":"${identity.deviceId}"}`);
      assert.deepEqual(hub.emulator.control.telemetry(identity).map((message) => message.body.toString()), [`{"from":"${identity.deviceId}"}`]);
      await session.reportProperties({ firmware: '1.0' });
      const twin = identity.moduleId === undefined ? await hub.registry.getTwin(identity.deviceId) : await hub.registry.getModuleTwin(identity.deviceId, identity.moduleId);
      assert.equal((twin.responseBody as { properties: { reported: { firmware?: string } } }).properties.reported.firmware, '1.0');
    } finally {
      await session.close();
    }
  }

  for (const transport of ['mqtt', 'mqtt-ws', 'amqp', 'amqp-ws'] as const) {
    it(`a selfSigned device with its certificate's SHA-1 thumbprint connects, sends telemetry and reports (${transport})`, async () => {
      const identity = { deviceId: newId('ss') };
      const credentials = await deviceCertificate(identity.deviceId);
      // Lower case as `openssl x509 -fingerprint` prints it once the colons are gone; the hub compares without regard to case.
      await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(credentials).toLowerCase() });
      await connectAndWork(identity, credentials, transport);
    });

    it(`a certificateAuthority device with CN = device id, signed through an intermediate by a trusted CA, connects (${transport})`, async () => {
      const identity = { deviceId: newId('ca') };
      const leaf = await deviceCertificate(identity.deviceId, { issuer: intermediateCa });
      await registerX509(hub, identity, { type: 'certificateAuthority' });
      await connectAndWork(identity, withChain(leaf, intermediateCa), transport);
    });

    it(`a certificateAuthority module with CN = deviceId/moduleId connects (${transport})`, async () => {
      const identity = { deviceId: newId('cad'), moduleId: newId('cam') };
      const leaf = await deviceCertificate(`${identity.deviceId}/${identity.moduleId}`, { issuer: rootCa });
      await registerX509(hub, identity, { type: 'certificateAuthority' });
      await connectAndWork(identity, leaf, transport);
    });
  }

  it('a selfSigned module connects with the certificate whose SHA-256 thumbprint is registered (as DPS registers them)', async () => {
    const identity = { deviceId: newId('ssd'), moduleId: newId('ssm') };
    const credentials = await deviceCertificate(`${identity.deviceId}/${identity.moduleId}`);
    await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(credentials, 'sha256') });
    await connectAndWork(identity, credentials, 'mqtt');
  });

  it('a device rolls over to its secondary certificate: both connect while both are registered, the old one not after it is removed', async () => {
    const identity = { deviceId: newId('roll') };
    const [current, next] = await Promise.all([deviceCertificate(identity.deviceId), deviceCertificate(identity.deviceId)]);
    await registerX509(hub, identity, { type: 'selfSigned', primaryThumbprint: thumbprint(current), secondaryThumbprint: thumbprint(next) });
    for (const credentials of [current, next]) {
      const session = await DeviceTwinSession.open(await x509Client(hub, identity, credentials), { reconnect: false });
      await session.close();
    }
    await hub.registry.update({ deviceId: identity.deviceId, authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: thumbprint(next), secondaryThumbprint: null } } });
    const session = await DeviceTwinSession.open(await x509Client(hub, identity, next), { reconnect: false });
    await session.close();
    const stale = await x509Client(hub, identity, current);
    await assert.rejects(stale.open(), (error: Error) => error.name === 'UnauthorizedError');
    await stale.close();
  });

  it('SAS devices still connect over both listeners, which now ask for a client certificate', async () => {
    const device = await hub.createDevice(newId('sas'));
    for (const transport of ['mqtt', 'mqtt-ws'] as const) {
      const client = await hub.client(device);
      const session = await DeviceTwinSession.open(transport === 'mqtt' ? client : await sasWsClient(device), { reconnect: false });
      await session.close();
    }
  });

  async function sasWsClient(device: { deviceId: string; primaryKey: string }): ReturnType<HubFixture['client']> {
    const client = clientFromConnectionString(`HostName=${hub.emulator.hostName};DeviceId=${device.deviceId};SharedAccessKey=${device.primaryKey}`, false, 'mqtt-ws');
    await client.setOptions({ ca: hub.emulator.caCertificate });
    return client;
  }
});
