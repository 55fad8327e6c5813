import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Message as MessageType, ModuleClient as ModuleClientType } from 'azure-iot-device';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { withDeadline } from '../../src/wait-for.js';
import type { HubFixture, IdentityKeys } from './hub-fixture.js';

const DELIVERY_LIMIT_MS = 10_000;

/**
 * Opens the module's SDK client, waits until it listens for inputs, lets `send` deliver 'hello' with
 * the application property k=v on input1 (through whichever control plane), and checks what the SDK got.
 */
export async function checkInputDelivery(hub: HubFixture, module: IdentityKeys, send: () => Promise<boolean>): Promise<void> {
  const session = await DeviceTwinSession.open(await hub.client(module));
  const client = session.client as ModuleClientType;
  try {
    const received = once(client, 'inputMessage') as Promise<[string, MessageType]>;
    await session.refreshTwin(); // a round trip on the same connection: the inputs SUBSCRIBE went first
    assert.equal(await send(), true);
    const [inputName, message] = await withDeadline(received, DELIVERY_LIMIT_MS, 'the input message at the module');
    assert.equal(inputName, 'input1');
    assert.equal(String(message.data), 'hello');
    assert.equal(message.properties.getValue('k'), 'v');
  } finally {
    await session.close();
  }
}

/** The same for a cloud-to-device message: 'reboot' with message id m-1. */
export async function checkCloudToDeviceDelivery(hub: HubFixture, device: IdentityKeys, send: () => Promise<boolean>): Promise<void> {
  const session = await DeviceTwinSession.open(await hub.client(device));
  try {
    const received = once(session.client, 'message') as Promise<[MessageType]>;
    await session.refreshTwin(); // a round trip on the same connection: the C2D SUBSCRIBE went first
    assert.equal(await send(), true);
    const [message] = await withDeadline(received, DELIVERY_LIMIT_MS, 'the cloud-to-device message at the device');
    assert.equal(String(message.data), 'reboot');
    assert.equal(message.messageId, 'm-1');
  } finally {
    await session.close();
  }
}
