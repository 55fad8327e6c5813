import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { MethodInvocation, MethodOutcome } from '../../emulator/methods/method-invoker.js';
import { invokerAcrossTransports, type TransportMethodChannel } from '../../emulator/methods/invoker-across-transports.js';

/** A transport's channel whose listening identities the test sets; it answers with its own name. */
class FakeChannel implements TransportMethodChannel {
  readonly listening = new Set<string>();
  readonly calls: MethodInvocation[] = [];
  private readonly changes = new EventEmitter();

  constructor(private readonly name: string) {}

  listen(deviceId: string): void {
    this.listening.add(deviceId);
    this.changes.emit('change');
  }

  isListening(identity: { deviceId: string }): boolean {
    return this.listening.has(identity.deviceId);
  }

  onListeningChange(listener: () => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  invoke(identity: { deviceId: string }, invocation: MethodInvocation): Promise<MethodOutcome> {
    this.calls.push(invocation);
    return Promise.resolve(this.isListening(identity) ? { kind: 'answered', status: 200, payload: Buffer.from(this.name) } : { kind: 'not-online' });
  }
}

const call = (connectTimeoutInSeconds: number): MethodInvocation => ({ methodName: 'reboot', payload: 'null', responseTimeoutInSeconds: 5, connectTimeoutInSeconds });
const answeredBy = (outcome: MethodOutcome): string => (outcome.kind === 'answered' ? outcome.payload.toString() : outcome.kind);

describe('direct methods across transports', () => {
  it('go to the transport the target listens on now, and to no other', async () => {
    const [mqtt, amqp] = [new FakeChannel('mqtt'), new FakeChannel('amqp')];
    amqp.listen('d1');
    assert.equal(answeredBy(await invokerAcrossTransports([mqtt, amqp]).invoke({ deviceId: 'd1' }, call(0))), 'amqp');
    assert.deepEqual([mqtt.calls.length, amqp.calls.length], [0, 1]);
  });

  it('answer not-online at once when nobody listens and the call may not wait', async () => {
    const channels = [new FakeChannel('mqtt'), new FakeChannel('amqp')];
    assert.equal(answeredBy(await invokerAcrossTransports(channels).invoke({ deviceId: 'd1' }, call(0))), 'not-online');
    assert.deepEqual(channels.map((channel) => channel.calls.length), [0, 0]);
  });

  it('wait up to the connect timeout for the target to listen on any transport, then call it there with no further wait', async () => {
    const [mqtt, amqp] = [new FakeChannel('mqtt'), new FakeChannel('amqp')];
    const pending = invokerAcrossTransports([mqtt, amqp]).invoke({ deviceId: 'd1' }, call(5));
    setImmediate(() => amqp.listen('d1'));
    assert.equal(answeredBy(await pending), 'amqp');
    assert.equal(amqp.calls[0]?.connectTimeoutInSeconds, 0);
  });

  it('give up with not-online when the connect timeout passes', async () => {
    const channel = new FakeChannel('mqtt');
    const started = Date.now();
    assert.equal(answeredBy(await invokerAcrossTransports([channel]).invoke({ deviceId: 'd1' }, call(0.05))), 'not-online');
    assert.ok(Date.now() - started >= 45, 'it waited for the connect timeout');
    assert.equal(channel.calls.length, 0);
  });
});
