import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MqttMethodChannel } from '../../emulator/mqtt/method-channel.js';
import { SessionTable } from '../../emulator/mqtt/sessions.js';

// The channel answers for itself when nobody listens, whichever invoker asks it (the hub's invoker
// checks every transport first, so the scenarios never reach this answer).
void it('answers not-online, sending nothing, when no connection listens for methods', async () => {
  const channel = new MqttMethodChannel(new SessionTable());
  const outcome = await channel.invoke({ deviceId: 'd1' }, { methodName: 'reboot', payload: '{}', responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 0 });
  assert.deepEqual(outcome, { kind: 'not-online' });
  assert.equal(channel.responded('d1', '1', 200, Buffer.from('{}')), false, 'no call was started');
});

// A call waiting for its target to come online listens for session changes; once it stops waiting,
// its listener must go, or every such call would leave one behind on the hub's session table.
void it('stops telling a listener of session changes once the listener is released', () => {
  const sessions = new SessionTable();
  const channel = new MqttMethodChannel(sessions);
  const before = sessions.changes.listenerCount('change');
  let heard = 0;
  const release = channel.onListeningChange(() => (heard += 1));
  sessions.changes.emit('change');
  release();
  sessions.changes.emit('change');
  assert.deepEqual([heard, sessions.changes.listenerCount('change')], [1, before]);
});
