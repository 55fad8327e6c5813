import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviceSessions, type SessionChange } from '../../emulator/state/sessions.js';

/**
 * The MQTT session table (state/sessions.ts) as the broker and persistence use it: one announcement
 * per real change with the topics the session holds after it, none for a no-op or a restore.
 */
function watched(): { sessions: DeviceSessions; changes: SessionChange[] } {
  const sessions = new DeviceSessions();
  const changes: SessionChange[] = [];
  sessions.changes.subscribe((change) => changes.push(change));
  return { sessions, changes };
}

describe('MQTT sessions (state)', () => {
  it('announces each topic a session gains or loses, and nothing for a repeat or an unknown topic', () => {
    const { sessions, changes } = watched();
    sessions.subscribed('d1', 'desired');
    sessions.subscribed('d1', 'desired');
    sessions.subscribed('d1', 'methods');
    sessions.unsubscribed('d1', 'c2d');
    sessions.unsubscribed('d2', 'desired');
    sessions.unsubscribed('d1', 'desired');
    assert.deepEqual(changes, [
      { type: 'session-changed', clientId: 'd1', topics: ['desired'] },
      { type: 'session-changed', clientId: 'd1', topics: ['desired', 'methods'] },
      { type: 'session-changed', clientId: 'd1', topics: ['methods'] },
    ]);
    assert.deepEqual([sessions.isSubscribed('d1', 'methods'), sessions.isSubscribed('d1', 'desired'), sessions.isSubscribed('d2', 'methods')], [true, false, false]);
  });

  it('holds no session once its last topic goes, or once forgotten; forgetting nothing announces nothing', () => {
    const { sessions, changes } = watched();
    sessions.subscribed('d1', 'desired');
    sessions.unsubscribed('d1', 'desired');
    assert.equal(sessions.hasSession('d1'), false, 'an empty session is no session');
    sessions.subscribed('d2', 'methods');
    sessions.forget('d2');
    sessions.forget('d3');
    assert.deepEqual([sessions.hasSession('d2'), sessions.topicsOf('d2')], [false, []]);
    assert.deepEqual(changes.slice(2), [{ type: 'session-changed', clientId: 'd2', topics: ['methods'] }, { type: 'session-changed', clientId: 'd2', topics: [] }]);
  });

  it('restores a kept session silently, an empty one not at all, and clears all with one announcement', () => {
    const { sessions, changes } = watched();
    sessions.restore('d1', ['desired', 'methods']);
    sessions.restore('d2', []);
    assert.deepEqual([sessions.topicsOf('d1'), sessions.hasSession('d2'), changes], [['desired', 'methods'], false, []]);
    sessions.clear();
    assert.deepEqual([sessions.hasSession('d1'), changes], [false, [{ type: 'sessions-cleared' }]]);
  });
});
