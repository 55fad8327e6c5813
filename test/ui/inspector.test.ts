/**
 * The web inspector in a real browser (docs/inspector.md): a device created with azure-iothub
 * appears, its desired properties patched in the page reach the device connected with
 * azure-iot-device-mqtt, its telemetry shows in the tail, a stale etag gets the hub's 412, a wrong key
 * shows as a refusal with its reason; and no key ever reaches the page or the event stream.
 * `npm run test:ui` (builds the page, makes sure Debian's chromium is there). INSPECTOR_SCREENSHOTS=1
 * writes the views to docs/images/.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Client as DeviceClientType, Twin } from 'azure-iot-device';
import { waitFor, withDeadline } from '../../src/wait-for.js';
import { Message, NoRetry } from '../../src/sdk.js';
import { httpsText } from '../support/https-text.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { EventStreamRecorder, InspectorBrowser, UI_TIMEOUT_MS } from './inspector-browser.js';

void describe('web inspector', () => {
  let hub: HubFixture;
  let browser: InspectorBrowser;
  let stream: EventStreamRecorder;
  let device: IdentityKeys;
  let client: DeviceClientType;
  const desiredPatches: Record<string, unknown>[] = [];
  const patchArrived = new EventEmitter();

  before(async () => {
    hub = await HubFixture.start({ controlPlane: true });
    const origin = `https://localhost:${hub.emulator.httpsPort ?? 0}`;
    stream = await EventStreamRecorder.open(`${origin}/_emulator/events`, hub.emulator.caCertificate);
    browser = await InspectorBrowser.open(origin);
    await browser.waitForText(browser.testId('live'), /^live$/, 'the live indicator');
  });

  after(async () => {
    await client.close().catch(() => undefined);
    stream.close();
    await browser.close();
    await hub.stop();
  });

  const waitForPatch = (version: number): Promise<Record<string, unknown>> =>
    waitFor(() => desiredPatches.find((patch) => patch.$version === version), { description: `the device to receive desired $version ${version}`, timeoutMs: UI_TIMEOUT_MS, changes: patchArrived, seen: () => JSON.stringify(desiredPatches) });

  void it('serves the built page, whose policy lets it load and call nothing but the emulator', async () => {
    const page = await httpsText({ url: `https://localhost:${hub.emulator.httpsPort ?? 0}/_emulator/ui/`, ca: hub.emulator.caCertificate });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/);
    assert.doesNotMatch(page.text, /https?:\/\//, 'the page names no other origin');
  });

  void it('shows a device created with the service SDK, and opens its twin', async () => {
    device = await hub.createDevice(newId('ui-device'));
    const row = browser.page.locator(`[data-testid="device-row"][data-client-id="${device.deviceId}"]`);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await browser.waitForText(row, /Disconnected/, 'the new device row');
    await row.click();
    await browser.waitForText(browser.testId('identity-title'), new RegExp(`^${device.deviceId}$`), 'the detail title');
    await browser.waitForText(browser.testId('desired-version'), /^1$/, 'the desired $version');
  });

  void it('follows the device connecting over MQTT', async () => {
    client = (await hub.client(device)) as DeviceClientType;
    client.setRetryPolicy(new NoRetry());
    await client.open();
    const twin: Twin = await client.getTwin();
    twin.on('properties.desired', (patch: Record<string, unknown>) => {
      desiredPatches.push(patch);
      patchArrived.emit('change');
    });
    await waitForPatch(1);
    await browser.waitForText(browser.page.locator(`[data-testid="device-row"][data-client-id="${device.deviceId}"]`), /Connected/, 'the device row');
    await browser.screenshot('devices');
  });

  void it('patches desired properties with the twin etag; the device receives the patch and the view follows', async () => {
    await browser.testId('edit-desired').click();
    await browser.testId('desired-editor').fill('{ "telemetryInterval": 42, "mode": "eco" }');
    await browser.testId('save-desired').click();
    await browser.waitForText(browser.testId('save-outcome'), /Saved: desired \$version 2/, 'the save outcome');
    const received = await waitForPatch(2);
    assert.equal(received.telemetryInterval, 42);
    assert.equal(received.mode, 'eco');
    await browser.waitForText(browser.testId('desired-version'), /^2$/, 'the desired $version');
    await browser.waitForText(browser.testId('twin-desired'), /"telemetryInterval": 42/, 'the desired section');
  });

  void it('shows a change made elsewhere live, and a save on the stale etag gets the hub\'s 412 and changes nothing', async () => {
    await browser.testId('edit-desired').click();
    const staleEtag = await browser.testId('draft-etag').innerText();
    await browser.testId('desired-editor').fill('{ "mode": "from-a-stale-view" }');
    // Another writer (the service SDK) patches the twin while the page's draft is open.
    const { responseBody: current } = await hub.registry.getTwin(device.deviceId);
    await hub.registry.updateTwin(device.deviceId, { properties: { desired: { mode: 'turbo' } } }, current.etag);
    await waitForPatch(3);
    await browser.waitForText(browser.testId('desired-version'), /^3$/, 'the desired $version, without a reload');
    await browser.testId('save-desired').click();
    await browser.waitForText(browser.testId('save-outcome'), /^412 PreconditionFailed/, 'the save outcome');
    assert.notEqual((await hub.registry.getTwin(device.deviceId)).responseBody.etag, staleEtag);
    assert.equal((await hub.registry.getTwin(device.deviceId)).responseBody.properties.desired.mode, 'turbo', 'the stale save changed nothing');
    assert.equal(desiredPatches.some((patch) => patch.mode === 'from-a-stale-view'), false, 'the device was told of a refused patch');
    await browser.screenshot('twin');
  });

  void it('tails the device\'s telemetry with its properties, for the device and for all', async () => {
    const message = new Message(JSON.stringify({ temperature: 21.5 }));
    message.properties.add('alert', 'high');
    await client.sendEvent(message);
    const rows = browser.page.locator('[data-testid="identity-detail"] [data-testid="telemetry-row"]');
    await browser.waitForText(rows, /"temperature":21\.5/, 'the device\'s telemetry tail');
    await browser.waitForText(rows, /"alert": "high"/, 'the message\'s application property');
    await browser.testId('nav-telemetry').click();
    await browser.waitForText(browser.testId('telemetry-row'), new RegExp(`${device.deviceId}.*temperature`, 's'), 'the tail of all devices');
    await browser.screenshot('telemetry');
    await browser.testId('nav-devices').click();
  });

  void it('sends a cloud-to-device message and invokes a direct method from the page', async () => {
    const received = new Promise<string>((resolve) => client.on('message', (incoming: { data: Buffer }) => { resolve(incoming.data.toString()); void client.complete(incoming as never); }));
    client.onDeviceMethod('reboot', (request, response) => void response.send(200, { rebooted: true, delay: (request.payload as { delay?: number }).delay }));
    await browser.page.locator(`[data-testid="device-row"][data-client-id="${device.deviceId}"]`).click();
    await browser.testId('c2d-body').fill('hello from the inspector');
    await browser.testId('c2d-send').click();
    await browser.waitForText(browser.testId('c2d-outcome'), /Queued/, 'the send outcome');
    assert.equal(await withDeadline(received, UI_TIMEOUT_MS, 'the cloud-to-device message'), 'hello from the inspector');
    await browser.testId('method-name').fill('reboot');
    await browser.testId('method-payload').fill('{"delay": 3}');
    await browser.testId('method-invoke').click();
    await browser.waitForText(browser.testId('method-outcome'), /Answered: \{"status":200,"payload":\{"rebooted":true,"delay":3\}\}/, 'the method outcome');
    // The service API's own checks apply: a name no method may have is the hub's 400, sent to no device.
    await browser.testId('method-name').fill('re boot');
    await browser.testId('method-invoke').click();
    await browser.waitForText(browser.testId('method-outcome'), /^400 ArgumentInvalid: The method name 're boot'/, 'the outcome of an invalid method name');
  });

  void it('logs a refused connection with its reason, and never shows a key or a token', async () => {
    const wrongKey = Buffer.from('not the device key, but a key all the same').toString('base64');
    const impostor = await hub.client({ ...device, primaryKey: wrongKey });
    impostor.setRetryPolicy(new NoRetry());
    await assert.rejects(impostor.open());
    await browser.testId('nav-connections').click();
    await browser.waitForText(browser.testId('refusal-row'), new RegExp(`${device.deviceId}.*wrong-key`, 's'), 'the refusal log');
    await browser.screenshot('connections');
    const seen = [await browser.page.content(), stream.received, ...browser.answeredBodies].join('\n');
    for (const secret of [device.primaryKey, wrongKey, 'SharedAccessSignature', 'SharedAccessKey']) assert.equal(seen.includes(secret), false, `the page or the stream showed ${secret.slice(0, 12)}…`);
    assert.match(stream.received, /event: telemetry/, 'the recorder saw the stream (so the check above read something)');
    assert.deepEqual(browser.outsideRequests, [], 'the page asked for something outside the emulator');
  });
});

