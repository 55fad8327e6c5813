import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:tls';
import { MAX_UNSENT_BYTES } from '../../emulator/control/event-stream.js';
import type { ActivityEvent } from '../../emulator/state/activity.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { httpsText } from '../support/https-text.js';
import { EventStreamRecorder } from '../ui/inspector-browser.js';

/** The control-plane routes and event stream behind the web inspector (emulator/control/http-hub-routes.ts, event-stream.ts). */
void describe('inspector routes', () => {
  let hub: HubFixture;
  let device: IdentityKeys;

  const send = async (method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}) => {
    const reply = await httpsText({ url: `https://localhost:${hub.emulator.httpsPort ?? 0}${path}`, method, ca: hub.emulator.caCertificate, headers: options.headers ?? {} }, options.body);
    return { ...reply, json: (String(reply.headers['content-type']).startsWith('application/json') ? JSON.parse(reply.text) : null) as Record<string, unknown> };
  };

  before(async () => {
    hub = await HubFixture.start({ controlPlane: true });
    device = await hub.createDevice(newId('inspected'));
  });

  after(async () => {
    await hub.stop();
  });

  void it('lists identities with their state and authentication type, never their keys', async () => {
    const reply = await send('GET', '/_emulator/identities');
    assert.equal(reply.status, 200);
    const identities = reply.json.identities as Record<string, unknown>[];
    assert.deepEqual(identities.map((identity) => [identity.deviceId, identity.status, identity.connectionState, identity.authenticationType]), [[device.deviceId, 'enabled', 'Disconnected', 'sas']]);
    assert.equal(reply.text.includes(device.primaryKey), false);
  });

  void it('serves the twin with $metadata and its etag, and patches desired only with a matching If-Match', async () => {
    const path = `/_emulator/hub/twins/${device.deviceId}`;
    const twin = await send('GET', path);
    const etag = twin.headers.etag ?? '';
    assert.match(etag, /^".+"$/);
    const desired = (twin.json.properties as { desired: Record<string, unknown> }).desired;
    assert.ok(desired.$metadata !== undefined && desired.$version === 1, JSON.stringify(desired));
    const patch = JSON.stringify({ properties: { desired: { mode: 'eco' } } });
    const saved = await send('PATCH', path, { body: patch, headers: { 'if-match': etag } });
    assert.equal(saved.status, 200, saved.text);
    assert.equal((saved.json.properties as { desired: Record<string, unknown> }).desired.$version, 2);
    const stale = await send('PATCH', path, { body: JSON.stringify({ properties: { desired: { mode: 'stale' } } }), headers: { 'if-match': etag } });
    assert.equal(stale.status, 412);
    assert.match(String(stale.json.Message), /^ErrorCode:PreconditionFailed;/);
    assert.equal((await hub.registry.getTwin(device.deviceId)).responseBody.properties.desired.mode, 'eco', 'the stale patch changed nothing');
    const reported = await send('PATCH', path, { body: JSON.stringify({ properties: { reported: { x: 1 } } }) });
    assert.equal(reported.status, 400);
    assert.match(String(reported.json.Message), /^ErrorCode:ArgumentInvalid;/);
    assert.equal((await send('GET', '/_emulator/hub/twins/nobody')).status, 404);
  });

  void it('refuses writes that a page on another site asks for, and changes nothing', async () => {
    const port = hub.emulator.httpsPort ?? 0;
    const before = (await hub.registry.list()).responseBody.length;
    const foreign = await send('POST', '/_emulator/reset', { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403, foreign.text);
    assert.equal((await hub.registry.list()).responseBody.length, before, 'a cross-site reset must not empty the registry');
    const path = `/_emulator/hub/twins/${device.deviceId}`;
    const patch = await send('PATCH', path, { body: JSON.stringify({ properties: { desired: { fromElsewhere: true } } }), headers: { origin: 'http://localhost:1' } });
    assert.equal(patch.status, 403);
    assert.equal((await hub.registry.getTwin(device.deviceId)).responseBody.properties.desired.fromElsewhere, undefined);
    const ownPage = await send('GET', '/_emulator/identities', { headers: { origin: 'https://evil.example' } });
    assert.equal(ownPage.status, 200, 'reads are left to the browser\'s same-origin rule');
    const sameOrigin = await send('PATCH', path, { body: JSON.stringify({ properties: { desired: { fromInspector: true } } }), headers: { origin: `https://localhost:${port}` } });
    assert.equal(sameOrigin.status, 200, sameOrigin.text);
  });

  void it('invokes methods with the service API\'s checks, and only for JSON requests', async () => {
    const path = `/_emulator/hub/twins/${device.deviceId}/methods`;
    const body = JSON.stringify({ methodName: 'reboot', payload: {}, responseTimeoutInSeconds: 5 });
    assert.equal((await send('POST', path, { body, headers: { 'content-type': 'text/plain' } })).status, 415);
    const offline = await send('POST', path, { body, headers: { 'content-type': 'application/json' } });
    assert.equal(offline.status, 404);
    assert.match(String(offline.json.Message), /^ErrorCode:DeviceNotOnline;/);
  });

  void it('serves only the inspector\'s own files under /_emulator/ui/', async () => {
    const bare = await send('GET', '/_emulator/ui');
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/_emulator/ui/');
    for (const name of ['secret.txt', 'tsconfig.json', '..%2Fpackage.json', 'THIRD-PARTY-LICENSES.txt']) assert.equal((await send('GET', `/_emulator/ui/${name}`)).status, 404, name);
  });

  void it('streams changes as server-sent events, activity field by field, with no key', async () => {
    const stream = await EventStreamRecorder.open(`https://localhost:${hub.emulator.httpsPort ?? 0}/_emulator/events`, hub.emulator.caCertificate);
    try {
      const other = await hub.createDevice(newId('streamed'));
      // An adapter that one day put a secret on an event must not get it to the page.
      const careless = { type: 'refused', at: new Date(), transport: 'mqtt', claimedBy: other.deviceId, reason: 'wrong-key', detail: 'Not authorized', sharedAccessKey: other.primaryKey } as ActivityEvent;
      hub.emulator.control.eventSources.activity?.announce(careless);
      await stream.waitFor(/event: activity/, 'the activity event on the stream', 5_000);
      assert.match(stream.received, new RegExp(`event: registry\\ndata: \\{"change":"identity-created","deviceId":"${other.deviceId}"\\}`));
      assert.match(stream.received, /event: activity\ndata: \{"type":"refused","at":"[^"]+","transport":"mqtt","reason":"wrong-key","detail":"Not authorized","claimedBy":"streamed-/);
      assert.equal(stream.received.includes(other.primaryKey), false);
    } finally {
      stream.close();
    }
  });

  void it('closes the event stream of a page that stops reading, instead of buffering for it', async () => {
    const socket = connect({ host: '127.0.0.1', port: hub.emulator.httpsPort ?? 0, ca: hub.emulator.caCertificate, servername: 'localhost' });
    await once(socket, 'secureConnect');
    socket.write('GET /_emulator/events HTTP/1.1\r\nhost: localhost\r\n\r\n');
    // Subscribed once the stream has said hello; from then on the page reads nothing.
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    await waitUntil(() => received.includes('event: hello'), 'the stream\'s hello', 5_000);
    socket.pause();
    const closed = once(socket, 'close');
    const detail = 'x'.repeat(64 * 1024);
    // Three times the limit: more than the loopback socket buffers can absorb, so the rest waits in the emulator.
    for (let sent = 0; sent < 3 * MAX_UNSENT_BYTES; sent += detail.length) {
      hub.emulator.activity.announce({ type: 'refused', at: new Date(), transport: 'mqtt', reason: 'other', detail });
    }
    const readBefore = received.length;
    socket.resume();
    const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error('waited 10 s for the emulator to close the stalled event stream')), 10_000).unref());
    await Promise.race([closed, deadline]);
    assert.ok(received.length - readBefore < MAX_UNSENT_BYTES, `the page got ${received.length - readBefore} bytes of a stream it did not read`);
    const fresh = await EventStreamRecorder.open(`https://localhost:${hub.emulator.httpsPort ?? 0}/_emulator/events`, hub.emulator.caCertificate);
    try {
      await fresh.waitFor(/event: hello/, 'a new stream after the stalled one was closed', 5_000);
    } finally {
      fresh.close();
    }
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
