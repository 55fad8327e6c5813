import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import rhea, { type Connection, type EventContext, type Message } from 'rhea';
import { createSasToken } from '../../emulator/state/sas.js';
import { parseConnectionString } from '../../src/connection-string.js';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture } from '../mqtt/hub-fixture.js';

const TIMEOUT_MS = 5_000;

/**
 * The AMQP endpoint's own rules, driven with rhea (the AMQP library the SDKs use) where the SDKs
 * cannot show them: claims-based security on `$cbs` (AMQP wire notes §2), refused links, and
 * links closed when the token that authorized them expires.
 */
describe('the AMQP endpoint: $cbs, link authorization, token expiry', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  async function connect(): Promise<Connection> {
    const connection = rhea.create_container().connect({
      host: '127.0.0.1', port: hub.emulator.amqpPort, transport: 'tls', ca: hub.emulator.caCertificate, servername: hub.emulator.hostName, hostname: hub.emulator.hostName, reconnect: false,
    });
    await withDeadline(once(connection, 'connection_open'), TIMEOUT_MS, 'the AMQP connection to open');
    return connection;
  }

  function serviceToken(expirySeconds: number, key?: string): string {
    const fields = parseConnectionString(hub.serviceConnectionString);
    return createSasToken({ resourceUri: hub.emulator.hostName, base64Key: key ?? fields.get('SharedAccessKey') ?? '', keyName: 'iothubowner', expiry: expirySeconds });
  }

  /** One put-token; resolves with the reply's status-code and correlation id. */
  async function putToken(connection: Connection, token: string): Promise<{ status: unknown; correlationId: unknown }> {
    const replies = connection.open_receiver({ source: { address: '$cbs' } });
    const requests = connection.open_sender({ target: { address: '$cbs' } });
    await withDeadline(once(requests, 'sendable'), TIMEOUT_MS, 'credit on the $cbs sender');
    const reply = withDeadline(once(replies, 'message') as Promise<[EventContext]>, TIMEOUT_MS, 'the put-token reply');
    const request: Message = {
      message_id: 'put-1', reply_to: 'cbs', body: token,
      application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: hub.emulator.hostName },
    };
    requests.send(request);
    const [{ message }] = await reply;
    return { status: message?.application_properties?.['status-code'], correlationId: message?.correlation_id };
  }

  /** Attaches a sender to `address`; resolves with the error it was closed with (undefined while open). */
  async function closedWith(connection: Connection, address: string, within: number): Promise<{ condition?: string } | undefined> {
    const sender = connection.open_sender({ target: { address } });
    const closed = once(sender, 'sender_close').then(() => sender.error as { condition?: string } | undefined);
    return withDeadline(closed, within, `the link to '${address}' to be closed`);
  }

  it('answers a put-token with the integer status 200 and the request id, and 401 for a wrong key', async () => {
    const connection = await connect();
    try {
      assert.deepEqual(await putToken(connection, serviceToken(Math.floor(Date.now() / 1000) + 600)), { status: 200, correlationId: 'put-1' });
      const wrong = await putToken(connection, serviceToken(Math.floor(Date.now() / 1000) + 600, Buffer.alloc(32, 3).toString('base64')));
      assert.equal(wrong.status, 401);
    } finally {
      connection.close();
    }
  });

  it('refuses a link before any put-token, and a link to a node the hub does not have', async () => {
    const connection = await connect();
    try {
      assert.equal((await closedWith(connection, '/messages/devicebound', TIMEOUT_MS))?.condition, 'amqp:unauthorized-access');
      await putToken(connection, serviceToken(Math.floor(Date.now() / 1000) + 600));
      assert.equal((await closedWith(connection, '/no/such/node', TIMEOUT_MS))?.condition, 'amqp:not-found');
    } finally {
      connection.close();
    }
  });

  it('closes a link when the token that authorized it expires without renewal', async () => {
    const connection = await connect();
    try {
      await putToken(connection, serviceToken(Math.floor(Date.now() / 1000) + 2));
      const error = await closedWith(connection, '/messages/devicebound', 5_000);
      assert.equal(error?.condition, 'amqp:unauthorized-access');
    } finally {
      connection.close();
    }
  });
});
