import { protocolFor } from '../../src/flows/device-client-factory.js';
import assert from 'node:assert/strict';
import deviceSdk from 'azure-iot-device';
import type { DeviceTransport } from '../../src/flows/device-twin-session.js';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { DeviceClient, ModuleClient } from '../../src/sdk.js';
import type { HubFixture } from '../mqtt/hub-fixture.js';
import type { CertificateAndKey } from '../../src/flows/x509-certificates.js';

const { X509AuthenticationProvider } = deviceSdk;

export interface X509Identity {
  readonly deviceId: string;
  readonly moduleId?: string;
}

/** `selfSigned` with these thumbprints, or `certificateAuthority` (no thumbprints). */
export type X509Authentication =
  | { readonly type: 'selfSigned'; readonly primaryThumbprint: string; readonly secondaryThumbprint?: string }
  | { readonly type: 'certificateAuthority' };

function authenticationBody(authentication: X509Authentication): object {
  if (authentication.type === 'certificateAuthority') return { type: 'certificateAuthority' };
  return { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: authentication.primaryThumbprint, secondaryThumbprint: authentication.secondaryThumbprint ?? null } };
}

/** Registers an X.509 device (or a module of a new SAS device) with the official Registry. */
export async function registerX509(hub: HubFixture, identity: X509Identity, authentication: X509Authentication): Promise<void> {
  if (identity.moduleId === undefined) {
    await hub.registry.create({ deviceId: identity.deviceId, authentication: authenticationBody(authentication) });
    return;
  }
  await hub.registry.create({ deviceId: identity.deviceId });
  await hub.registry.addModule({ deviceId: identity.deviceId, moduleId: identity.moduleId, authentication: authenticationBody(authentication) });
}

/**
 * An SDK client that authenticates with its certificate, as the SDK's X.509 samples make it: a
 * device from an `x509=true` connection string, a module from the SDK's X509AuthenticationProvider
 * (ModuleClient.fromConnectionString takes SAS only, wire notes §7.1); then `setOptions({cert, key, ca})`
 * in one call (a later setOptions replaces the earlier one).
 */
export async function x509Client(hub: HubFixture, identity: X509Identity, credentials: CertificateAndKey, transport: DeviceTransport = 'mqtt'): Promise<DeviceSideClient> {
  const protocol = protocolFor(transport);
  const host = hub.emulator.x509HostName;
  const client: DeviceSideClient =
    identity.moduleId === undefined
      ? DeviceClient.fromConnectionString(`HostName=${host};DeviceId=${identity.deviceId};x509=true`, protocol)
      : ModuleClient.fromAuthenticationProvider(new X509AuthenticationProvider({ host, deviceId: identity.deviceId, moduleId: identity.moduleId }), protocol);
  await client.setOptions({ cert: credentials.cert, key: credentials.key, ca: hub.emulator.caCertificate });
  return client;
}

/** What the registry shows of an identity's connection: a refused CONNECT must leave it as it was. */
export async function connectionRecord(hub: HubFixture, identity: X509Identity): Promise<{ connectionState: string; connectionStateUpdatedTime: string; etag: string }> {
  const { responseBody } = identity.moduleId === undefined ? await hub.registry.get(identity.deviceId) : await hub.registry.getModule(identity.deviceId, identity.moduleId);
  const body = responseBody as { connectionState: string; connectionStateUpdatedTime: string; etag: string };
  return { connectionState: body.connectionState, connectionStateUpdatedTime: body.connectionStateUpdatedTime, etag: body.etag };
}

/**
 * Opens the client and expects the hub's refusal (CONNACK 5, which the SDK reports as
 * UnauthorizedError), with nothing changed: the registry's connection state, time and etag, and no
 * connection ever counted by the emulator.
 */
export async function assertRefused(hub: HubFixture, identity: X509Identity, client: DeviceSideClient): Promise<void> {
  const before = await connectionRecord(hub, identity);
  try {
    await assert.rejects(client.open(), (error: Error) => error.name === 'UnauthorizedError' && /Not authorized/i.test(error.message), 'refused as not authorized');
  } finally {
    await client.close();
  }
  assert.deepEqual(await connectionRecord(hub, identity), before, 'the registry shows no connection change');
  assert.equal(before.connectionState, 'Disconnected');
  assert.equal(hub.emulator.control.connectionCount(identity), 0, 'the emulator never counted a connection');
}
