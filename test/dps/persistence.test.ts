import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DpsFixture, deriveDeviceKey, newId, newKey, symmetricKeyGroup } from './dps-fixture.js';

/** DPS's state under `--data` (issue 13): ID scope, service key, enrollments and registration states survive a restart. */
void describe('DPS state in the data directory', () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-dps-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  void it('keeps the ID scope, the service key, the group and the registration state across a restart; the device registers again as the same device', async () => {
    const hubName = newId('dps-restart');
    const start = () => DpsFixture.start((builder) => builder.withHubName(hubName).withDataDirectory(directory));
    const groupKey = newKey();
    const groupId = newId('grp');
    const registrationId = newId('kept');
    const key = deriveDeviceKey(groupKey, registrationId);
    const first = await start();
    let kept: { idScope: string; connectionString: string; generationId: string | undefined };
    try {
      await first.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(groupId, groupKey, { initialTwin: { properties: { desired: { rate: 1 } } } }) as never);
      await first.register(registrationId, key);
      await first.hubRegistry().updateTwin(registrationId, { properties: { desired: { rate: 2 } } }, '*');
      const { responseBody: device } = await first.hubRegistry().get(registrationId);
      kept = { idScope: first.emulator.idScope, connectionString: first.emulator.provisioningServiceConnectionString, generationId: device.generationId };
    } finally {
      await first.stop();
    }
    const second = await start();
    try {
      assert.equal(second.emulator.idScope, kept.idScope);
      assert.equal(second.emulator.provisioningServiceConnectionString, kept.connectionString);
      const { responseBody: state } = await second.serviceClient().getDeviceRegistrationState(registrationId);
      assert.equal(state.status, 'assigned');
      const { responseBody: group } = await second.serviceClient().getEnrollmentGroup(groupId);
      assert.equal(group.enrollmentGroupId, groupId);
      await second.register(registrationId, key);
      const { responseBody: device } = await second.hubRegistry().get(registrationId);
      assert.equal(device.generationId, kept.generationId);
      const { responseBody: twin } = await second.hubRegistry().getTwin(registrationId);
      assert.equal((twin.properties.desired as Record<string, unknown>).rate, 2, 'the initial twin applies on the first assignment only');
    } finally {
      await second.stop();
    }
  });

  void it('refuses a data directory whose provisioning store has another schema, and starts again afterwards', async () => {
    const other = mkdtempSync(join(tmpdir(), 'emulator-dps-schema-'));
    try {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(join(other, 'provisioning.sqlite'));
      db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema', '99');");
      db.close();
      const hubName = newId('dps-schema');
      await assert.rejects(DpsFixture.start((builder) => builder.withHubName(hubName).withDataDirectory(other)), /provisioning schema 99/);
      // The same hub name again starts: nothing of the refused start stands in its way.
      const fresh = await DpsFixture.start((builder) => builder.withHubName(hubName));
      await fresh.stop();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

