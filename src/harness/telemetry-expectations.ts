import assert from 'node:assert/strict';
import type { ReadMessage } from '../flows/read-telemetry.js';

/** Exactly one message matched: the hub delivered it, and only once. */
export function assertReadOnce(messages: readonly ReadMessage[], what: string): void {
  assert.equal(messages.length, 1, `expected ${what} to be read once, read ${messages.length} times`);
}

export function assertProperty(message: ReadMessage | undefined, name: string, value: string): void {
  assert.ok(message !== undefined, 'no message was read yet');
  assert.equal(message.properties[name], value, `the property '${name}' of the message read (properties: ${JSON.stringify(message.properties)})`);
}
