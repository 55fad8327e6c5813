import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpsText, type TextReply } from '../support/https-text.js';
import { DpsFixture, deriveDeviceKey, deviceToken, newId, newKey, symmetricKeyGroup } from './dps-fixture.js';

const MAX_BODY_BYTES = 4096;

/**
 * Bad input to the device registration API gets DPS's status and errorCode, as JSON (the SDK cannot
 * read anything else), and leaves nothing behind: no hub device, no registration state.
 */
void describe('device registration API: bad input', () => {
  let dps: DpsFixture;
  const groupKey = newKey();
  const registrationId = newId('bad');

  before(async () => {
    dps = await DpsFixture.start((builder) => builder.withMaxRequestBodyBytes(MAX_BODY_BYTES));
    await dps.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(newId('grp'), groupKey) as never);
  });
  after(() => dps.stop());

  const validToken = (idScope = dps.emulator.idScope): string => deviceToken(idScope, registrationId, deriveDeviceKey(groupKey, registrationId));

  function register(init: { idScope?: string; authorization?: string; body: string }): Promise<TextReply> {
    const idScope = init.idScope ?? dps.emulator.idScope;
    const headers = { 'content-type': 'application/json; charset=utf-8', ...(init.authorization === undefined ? {} : { authorization: init.authorization }) };
    return httpsText({ url: `https://${dps.emulator.provisioningHost}/${idScope}/registrations/${registrationId}/register?api-version=2019-03-31`, method: 'PUT', headers }, init.body);
  }

  function assertDpsError(reply: TextReply, status: number, errorCode: number): void {
    assert.equal(reply.status, status, reply.text);
    assert.match(String(reply.headers['content-type']), /application\/json/);
    const body = JSON.parse(reply.text) as { errorCode: number; trackingId: string; message: string };
    assert.equal(body.errorCode, errorCode);
    assert.equal(typeof body.trackingId, 'string');
    assert.doesNotMatch(body.message, new RegExp(groupKey.slice(0, 12).replace(/[+/]/g, '.')));
  }

  const body = JSON.stringify({ registrationId });

  void it('refuses an unknown id scope with 404 (404001)', async () => {
    assertDpsError(await register({ idScope: '0neFFFFFFFF', authorization: validToken('0neFFFFFFFF'), body }), 404, 404001);
  });

  void it('refuses a missing, garbled or wrongly signed token with 401 (401002)', async () => {
    assertDpsError(await register({ body }), 401, 401002);
    assertDpsError(await register({ authorization: 'SharedAccessSignature garbage', body }), 401, 401002);
    assertDpsError(await register({ authorization: deviceToken(dps.emulator.idScope, registrationId, newKey()), body }), 401, 401002);
  });

  void it('refuses a malformed registration payload with 400 (400004) and TPM with 400 (400009)', async () => {
    assertDpsError(await register({ authorization: validToken(), body: '{"registrationId":' }), 400, 400004);
    assertDpsError(await register({ authorization: validToken(), body: JSON.stringify({ registrationId: 'someone-else' }) }), 400, 400004);
    assertDpsError(await register({ authorization: validToken(), body: JSON.stringify({ registrationId, tpm: { endorsementKey: 'AAAA' } }) }), 400, 400009);
  });

  void it('refuses an oversized payload with 413 (413000)', async () => {
    const payload = JSON.stringify({ registrationId, payload: { blob: 'x'.repeat(MAX_BODY_BYTES) } });
    assertDpsError(await register({ authorization: validToken(), body: payload }), 413, 413000);
  });

  void it('answers a poll of an unknown operation with 404 (404204)', async () => {
    const url = `https://${dps.emulator.provisioningHost}/${dps.emulator.idScope}/registrations/${registrationId}/operations/4.0000000000000000.unknown?api-version=2019-03-31`;
    assertDpsError(await httpsText({ url, method: 'GET', headers: { authorization: validToken(), 'content-type': 'application/json', 'content-length': '2' } }, '{}'), 404, 404204);
  });

  void it('has stored nothing from any of them: no hub device, no registration state', async () => {
    await assert.rejects(dps.hubRegistry().get(registrationId), (error: Error) => error.name === 'DeviceNotFoundError');
    await assert.rejects(dps.serviceClient().getDeviceRegistrationState(registrationId), /Not found/);
  });

  void it('refuses an enrollment with an invalid key (400) and does not store it', async () => {
    const id = newId('ind');
    const enrollment = { registrationId: id, attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: 'not-base64!', secondaryKey: newKey() } } };
    await assert.rejects(dps.serviceClient().createOrUpdateIndividualEnrollment(enrollment as never), (error: Error) => error.name === 'ArgumentError');
    await assert.rejects(dps.serviceClient().getIndividualEnrollment(id), /Not found/);
  });
});
