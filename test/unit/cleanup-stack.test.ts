import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Registry } from 'azure-iothub';
import { CleanupStack } from '../../src/harness/cleanup-stack.js';

function recordingStack(): { stack: CleanupStack; done: string[] } {
  const done: string[] = [];
  const registry = {
    delete: (deviceId: string) => {
      done.push(`delete ${deviceId}`);
      return deviceId === 'gone' ? Promise.reject(new Error('404')) : Promise.resolve();
    },
  } as unknown as Registry;
  return { stack: new CleanupStack(registry), done };
}

function client(name: string, done: string[]): { close(): Promise<void> } {
  return { close: () => Promise.resolve(void done.push(`close ${name}`)) };
}

void describe('CleanupStack', () => {
  void it('closes the clients before deleting the devices they connected as: last pushed, first undone', async () => {
    const { stack, done } = recordingStack();
    stack.deleteDevice('d1');
    stack.close(client('app of d1', done));
    stack.deleteDevice('d2');
    stack.close(client('app of d2', done));
    await stack.unwind();
    assert.deepEqual(done, ['close app of d2', 'delete d2', 'close app of d1', 'delete d1']);
  });

  void it('keeps a device where it was first pushed, so a client opened later is still closed first', async () => {
    const { stack, done } = recordingStack();
    stack.deleteDevice('d1');
    stack.close(client('app', done));
    stack.deleteDevice('d1');
    await stack.unwind();
    assert.deepEqual(done, ['close app', 'delete d1']);
  });

  void it('goes on after an undo fails, and is empty afterwards', async () => {
    const { stack, done } = recordingStack();
    stack.deleteDevice('d1');
    stack.deleteDevice('gone');
    await stack.unwind();
    await stack.unwind();
    assert.deepEqual(done, ['delete gone', 'delete d1']);
  });
});
