import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostEnvelope, HostReply, HostRequest } from './load-protocol.js';

/** The parent's side of the emulator host: request/reply over IPC, each with a deadline. */
export class EmulatorHost {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HostReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new Error(`emulator host: ${reply.error}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the emulator host exited (${code ?? 'signal'})`));
      this.pending.clear();
    });
  }

  static launch(): EmulatorHost {
    const script = fileURLToPath(new URL('./emulator-host.ts', import.meta.url));
    return new EmulatorHost(fork(script, [], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  request<T>(request: HostRequest, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for the emulator host to answer '${request.op}'`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => { clearTimeout(timer); resolve(value as T); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
      this.child.send({ id, request } satisfies HostEnvelope);
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
