import { MAX_AMQP_FRAME_BYTES } from '../amqp/amqp-endpoint.js';

/** "AMQP": the first four bytes of a protocol header (AMQP 1.0 §2.2), read as a frame size. */
const HEADER_MAGIC = 0x414d5150;
const HEADER_BYTES = 8;
const SIZE_BYTES = 4;

/**
 * rhea reads a frame's 4-byte size and then buffers until that many bytes have come, with no limit
 * of its own (transport.js read, connection.js input): a client declaring a 4 GiB frame would be read
 * to the end. This guard follows frame boundaries through the bytes a client sends, chunk by chunk,
 * reading only protocol headers (8 bytes, §2.2) and each frame's size (§2.3.1) and skipping the rest,
 * and says no at the first frame over the limit, before rhea has buffered more than the chunk in
 * hand. After a SASL exchange the client sends a second protocol header (§5.3.2): a frame boundary
 * that starts with "AMQP" is one.
 */
export class AmqpFrameGuard {
  private pending = Buffer.alloc(0);
  private skip = 0;
  private expectHeader = true;

  constructor(private readonly maxFrameBytes: number = MAX_AMQP_FRAME_BYTES) {}

  /** False once the client has declared a frame over the limit (or a frame too short to be one). */
  accept(chunk: Buffer): boolean {
    let offset = Math.min(this.skip, chunk.length);
    this.skip -= offset;
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk.subarray(offset)]) : chunk.subarray(offset);
    this.pending = Buffer.alloc(0);
    offset = 0;
    while (offset < bytes.length) {
      const step = this.step(bytes, offset);
      if (step === 'refused') return false;
      if (step === 'incomplete') break;
      offset = step;
    }
    this.pending = Buffer.from(bytes.subarray(offset));
    return true;
  }

  /** Consumes one header or frame from `offset`: the offset after it, 'incomplete' to wait, or 'refused'. */
  private step(bytes: Buffer, offset: number): number | 'refused' | 'incomplete' {
    if (bytes.length - offset < SIZE_BYTES) return 'incomplete';
    const size = bytes.readUInt32BE(offset);
    if (this.expectHeader || size === HEADER_MAGIC) {
      if (bytes.length - offset < HEADER_BYTES) return 'incomplete';
      this.expectHeader = false;
      return offset + HEADER_BYTES;
    }
    // A frame holds at least its 8-byte header (§2.3.1: SIZE, DOFF, TYPE, channel).
    if (size < HEADER_BYTES || size > this.maxFrameBytes) return 'refused';
    const available = bytes.length - offset;
    if (available >= size) return offset + size;
    this.skip = size - available;
    return bytes.length;
  }
}
