import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AmqpFrameGuard } from '../../emulator/servers/amqp-frame-guard.js';

const header = (protocolId: number): Buffer => Buffer.from([0x41, 0x4d, 0x51, 0x50, protocolId, 0x01, 0x00, 0x00]);
const frame = (size: number): Buffer => {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(size, 0);
  bytes[4] = 2;
  return bytes;
};

/** Feeds the bytes in chunks of `chunkSize`; false as soon as the guard refuses one. */
function feed(guard: AmqpFrameGuard, bytes: Buffer, chunkSize: number): boolean {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    if (!guard.accept(bytes.subarray(offset, offset + chunkSize))) return false;
  }
  return true;
}

void describe('AMQP frame guard (frame sizes only, AMQP 1.0 §2.2, §2.3.1)', () => {
  void it('lets headers and frames up to the limit through, however the bytes are chunked', () => {
    const stream = Buffer.concat([header(3), frame(40), frame(12), header(0), frame(100), frame(8)]);
    for (const chunkSize of [1, 3, 7, 64, stream.length]) assert.equal(feed(new AmqpFrameGuard(100), stream, chunkSize), true, `chunks of ${chunkSize}`);
  });

  void it('refuses a frame declared over the limit at its size, before its body', () => {
    const guard = new AmqpFrameGuard(100);
    assert.equal(guard.accept(header(0)), true);
    assert.equal(guard.accept(frame(101).subarray(0, 4)), false);
  });

  void it('refuses a frame shorter than a frame header', () => {
    assert.equal(feed(new AmqpFrameGuard(100), Buffer.concat([header(0), Buffer.from([0, 0, 0, 4])]), 1), false);
  });

  void it('skips a large frame body across many chunks without losing the next boundary', () => {
    const guard = new AmqpFrameGuard(64 * 1024);
    const stream = Buffer.concat([header(0), frame(60_000), frame(64 * 1024 + 1)]);
    assert.equal(feed(guard, stream.subarray(0, 8 + 60_000), 1000), true);
    assert.equal(feed(guard, stream.subarray(8 + 60_000), 5), false, 'the frame after the large one is over the limit');
  });
});
