import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowedSubscriptions,
  classifyPublish,
  desiredNotificationTopic,
  DESIRED_NOTIFICATIONS,
  identityPrefix,
  METHOD_REQUESTS,
  twinResponseTopic,
  TWIN_RESPONSES,
} from '../../emulator/mqtt/topics.js';

const DEVICE = { deviceId: 'd1' };
const MODULE = { deviceId: 'd1', moduleId: 'm1' };

function kindOf(ref: { deviceId: string; moduleId?: string }, topic: string): string {
  return classifyPublish(ref, topic).kind;
}

void describe('classifyPublish: twin requests', () => {
  void it('recognises a twin GET and a reported PATCH with their $rid', () => {
    assert.deepEqual(classifyPublish(MODULE, '$iothub/twin/GET/?$rid=7'), { kind: 'twin-get', requestId: '7' });
    assert.deepEqual(classifyPublish(DEVICE, '$iothub/twin/PATCH/properties/reported/?$rid=abc-1'), {
      kind: 'twin-reported',
      requestId: 'abc-1',
    });
  });

  void it('finds $rid among other query parameters', () => {
    assert.deepEqual(classifyPublish(MODULE, '$iothub/twin/PATCH/properties/reported/?$version=3&$rid=9'), { kind: 'twin-reported', requestId: '9' });
  });

  void it('refuses twin requests without a $rid, with an empty one, or without the ? before it', () => {
    for (const topic of ['$iothub/twin/GET/', '$iothub/twin/GET/?$rid=', '$iothub/twin/GET/?x=1', '$iothub/twin/PATCH/properties/reported/', '$iothub/twin/GET/$rid=1']) {
      assert.deepEqual(classifyPublish(MODULE, topic), { kind: 'refused', reason: 'a twin request needs a $rid' }, topic);
    }
  });

  void it('refuses the twin families a client may only subscribe to', () => {
    assert.equal(kindOf(MODULE, '$iothub/twin/res/200/?$rid=1'), 'refused');
    assert.equal(kindOf(MODULE, '$iothub/twin/PATCH/properties/desired/?$version=2'), 'refused');
    assert.equal(kindOf(MODULE, '$iothub/methods/POST/reboot/?$rid=1'), 'refused');
  });
});

void describe('classifyPublish: method responses', () => {
  void it('recognises a method response with its status and $rid', () => {
    assert.deepEqual(classifyPublish(DEVICE, '$iothub/methods/res/200/?$rid=5'), { kind: 'method-response', status: 200, requestId: '5' });
    assert.equal(kindOf(MODULE, '$iothub/methods/res/404/?$rid=x'), 'method-response');
  });

  void it('refuses a method response without a three-digit status or a $rid, or on a topic that only contains one', () => {
    for (const topic of ['$iothub/methods/res/2000/?$rid=5', '$iothub/methods/res/ok/?$rid=5', 'x$iothub/methods/res/200/?$rid=5', '$iothub/methods/res/200/?$rid=5\nx']) {
      assert.equal(kindOf(DEVICE, topic), 'refused', JSON.stringify(topic));
    }
    for (const topic of ['$iothub/methods/res/200/?', '$iothub/methods/res/200/?$rid=']) {
      assert.deepEqual(classifyPublish(DEVICE, topic), { kind: 'refused', reason: 'a method response needs a $rid' }, topic);
    }
  });
});

void describe('classifyPublish: telemetry', () => {
  void it('accepts events on the identity own topic, with or without properties', () => {
    assert.deepEqual(classifyPublish(DEVICE, 'devices/d1/messages/events/'), { kind: 'telemetry', encodedProperties: '' });
    assert.deepEqual(classifyPublish(DEVICE, 'devices/d1/messages/events'), { kind: 'telemetry', encodedProperties: '' });
    assert.deepEqual(classifyPublish(MODULE, 'devices/d1/modules/m1/messages/events/a=1&%24.ct=application%2Fjson'), {
      kind: 'telemetry',
      encodedProperties: 'a=1&%24.ct=application%2Fjson',
    });
  });

  void it('refuses events on topics of another identity', () => {
    const foreign: [typeof DEVICE | typeof MODULE, string][] = [
      [DEVICE, 'devices/d2/messages/events/'],
      [DEVICE, 'devices/d1/modules/m1/messages/events/'],
      [MODULE, 'devices/d1/messages/events/'],
      [MODULE, 'devices/d1/modules/m2/messages/events/'],
      [MODULE, 'devices/d2/modules/m1/messages/events/'],
      [DEVICE, 'devices/D1/messages/events/'],
      [DEVICE, 'devices/d1/messages/eventsX'],
    ];
    for (const [ref, topic] of foreign) assert.equal(kindOf(ref, topic), 'refused', `${JSON.stringify(ref)} -> ${topic}`);
  });

  void it('refuses topics outside the hub families, with a reason naming the topic', () => {
    const verdict = classifyPublish(DEVICE, 'random/topic');
    assert.equal(verdict.kind, 'refused');
    assert.match(verdict.reason, /random\/topic/);
    assert.equal(kindOf(DEVICE, 'devices/d1/messages/devicebound/'), 'refused');
    assert.equal(kindOf(MODULE, 'devices/d1/modules/m1/inputs/in1/'), 'refused');
  });
});

void describe('subscriptions and reply topics', () => {
  void it('lets a device subscribe to the shared $iothub families and its cloud-to-device topic', () => {
    assert.deepEqual(
      [...allowedSubscriptions(DEVICE)].sort(),
      [DESIRED_NOTIFICATIONS, METHOD_REQUESTS, TWIN_RESPONSES, 'devices/d1/messages/devicebound/#'].sort(),
    );
  });

  void it('lets a module subscribe to the shared $iothub families and its inputs', () => {
    const allowed = allowedSubscriptions(MODULE);
    assert.deepEqual([...allowed].sort(), [DESIRED_NOTIFICATIONS, METHOD_REQUESTS, TWIN_RESPONSES, 'devices/d1/modules/m1/inputs/#'].sort());
    assert.equal(allowed.has('devices/d1/messages/devicebound/#'), false);
    assert.equal(allowed.has('#'), false);
  });

  void it('names the identity in its topic prefix', () => {
    assert.equal(identityPrefix(DEVICE), 'devices/d1');
    assert.equal(identityPrefix(MODULE), 'devices/d1/modules/m1');
  });

  void it('builds twin response and desired notification topics the device SDK parses', () => {
    assert.equal(twinResponseTopic(200, '7'), '$iothub/twin/res/200/?$rid=7');
    assert.equal(twinResponseTopic(204, 'a b', 5), '$iothub/twin/res/204/?$rid=a%20b&$version=5');
    assert.equal(desiredNotificationTopic(3), '$iothub/twin/PATCH/properties/desired/?$version=3');
  });
});
