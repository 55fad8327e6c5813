import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptOnlyMqtt311 } from '../../emulator/mqtt/connect-rules.js';
import { MAX_CONNECT_BYTES, MAX_PUBLISH_BYTES, MAX_SUBSCRIBE_BYTES, MqttFrameScanner } from '../../emulator/servers/mqtt-packet-limits.js';
import { fixedHeader, MAX_REMAINING_LENGTH, MQTT_TYPE } from '../support/hostile-mqtt.js';

/** A scanner that has seen a small valid CONNECT, as after any accepted connection's first packet. */
function connected(): MqttFrameScanner {
  const scanner = new MqttFrameScanner();
  assert.equal(scanner.scan(Buffer.concat([fixedHeader(MQTT_TYPE.CONNECT, 3), Buffer.alloc(3)])), undefined);
  return scanner;
}

const packet = (type: number, length: number, flags = 0): Buffer => Buffer.concat([fixedHeader(type, length, flags), Buffer.alloc(length)]);

void describe('MQTT packet limits (fixed headers only, MQTT 3.1.1 §2.2)', () => {
  for (const [name, type, limit, flags] of [
    ['CONNECT', MQTT_TYPE.CONNECT, MAX_CONNECT_BYTES, 0],
    ['PUBLISH', MQTT_TYPE.PUBLISH, MAX_PUBLISH_BYTES, 0],
    ['SUBSCRIBE', MQTT_TYPE.SUBSCRIBE, MAX_SUBSCRIBE_BYTES, 2],
  ] as const) {
    void it(`accepts a ${name} of exactly its limit (${limit} bytes) and refuses one byte more, at the header`, () => {
      const first = type === MQTT_TYPE.CONNECT ? new MqttFrameScanner() : connected();
      assert.equal(first.scan(packet(type, limit, flags)), undefined);
      const second = type === MQTT_TYPE.CONNECT ? new MqttFrameScanner() : connected();
      assert.match(second.scan(fixedHeader(type, limit + 1, flags)) ?? '', new RegExp(`${name} packet of ${limit + 1} bytes`));
    });
  }

  void it('refuses the largest Remaining Length from its header alone', () => {
    assert.match(new MqttFrameScanner().scan(fixedHeader(MQTT_TYPE.CONNECT, MAX_REMAINING_LENGTH)) ?? '', /268435455 bytes/);
  });

  void it('follows headers and bodies split across reads, one byte at a time', () => {
    const scanner = new MqttFrameScanner();
    const stream = Buffer.concat([packet(MQTT_TYPE.CONNECT, 200), packet(MQTT_TYPE.PUBLISH, 20_000), packet(12, 0), packet(4, 2)]);
    for (const byte of stream) assert.equal(scanner.scan(Buffer.from([byte])), undefined);
    assert.match(scanner.scan(fixedHeader(MQTT_TYPE.PUBLISH, MAX_PUBLISH_BYTES + 1)) ?? '', /PUBLISH/);
  });

  void it('follows many packets in one read, and refuses the oversized one among them', () => {
    const ok = Buffer.concat([packet(MQTT_TYPE.CONNECT, 10), ...Array.from({ length: 50 }, () => packet(MQTT_TYPE.PUBLISH, 100))]);
    assert.equal(new MqttFrameScanner().scan(ok), undefined);
    assert.match(new MqttFrameScanner().scan(Buffer.concat([ok, fixedHeader(MQTT_TYPE.SUBSCRIBE, MAX_SUBSCRIBE_BYTES + 1, 2)])) ?? '', /SUBSCRIBE/);
  });

  void it('refuses a first packet other than CONNECT, and a second CONNECT', () => {
    assert.match(new MqttFrameScanner().scan(fixedHeader(MQTT_TYPE.PUBLISH, 10)) ?? '', /MQTT-3\.1\.0-1/);
    assert.match(connected().scan(fixedHeader(MQTT_TYPE.CONNECT, 10)) ?? '', /MQTT-3\.1\.0-2/);
  });

  void it('refuses what only a server sends, the reserved types and oversized acknowledgements', () => {
    for (const type of [0, 2, 9, 11, 13, 15]) assert.match(connected().scan(fixedHeader(type, 0)) ?? '', /never sends/, `type ${type}`);
    for (const type of [4, 5, 6, 7]) assert.match(connected().scan(fixedHeader(type, 3)) ?? '', /limit is 2/, `type ${type}`);
    for (const type of [12, 14]) assert.match(connected().scan(fixedHeader(type, 1)) ?? '', /limit is 0/, `type ${type}`);
  });

  void it('refuses a Remaining Length of five bytes', () => {
    assert.match(connected().scan(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01])) ?? '', /four bytes/);
  });
});

void describe('MQTT protocol level (the hub speaks 3.1.1 only)', () => {
  for (const level of [3, 5] as const) {
    void it(`marks level ${level} as one aedes refuses with CONNACK 0x01`, () => {
      const connect = { cmd: 'connect' as const, protocolId: 'MQIsdp' as const, protocolVersion: level, clientId: 'd1', clean: false, keepalive: 60 };
      acceptOnlyMqtt311(undefined as never, connect, (error, ok) => assert.deepEqual([error, ok], [null, true]));
      assert.equal(connect.protocolVersion, 0);
    });
  }

  void it('leaves level 4 alone', () => {
    const connect = { cmd: 'connect' as const, protocolId: 'MQTT' as const, protocolVersion: 4 as const, clientId: 'd1', clean: false, keepalive: 60 };
    acceptOnlyMqtt311(undefined as never, connect, () => undefined);
    assert.equal(connect.protocolVersion, 4);
  });
});
