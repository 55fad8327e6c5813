import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A helper process driven over Node's IPC channel, one reply per request: the load test and the
 * fan-out benchmark run the emulator in one, so that its memory and CPU are measured alone.
 */
export interface IpcRequest {
  readonly op: string;
}

interface Envelope<Request> {
  readonly id: number;
  readonly request: Request;
}

type Reply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The parent's side: each request has a deadline, and the child's exit fails what is still pending. */
export class IpcChild<Request extends IpcRequest> {
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new Error(`${name}: ${reply.error}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (code ${code ?? 'none'})`));
      this.pending.clear();
    });
  }

  /** Runs `script` (TypeScript, through tsx) with `--expose-gc`, so that it can measure memory after a GC. */
  static fork<Request extends IpcRequest>(init: { script: string; name: string; execArgv?: readonly string[] }): IpcChild<Request> {
    const child = fork(init.script, [], { execArgv: ['--import', 'tsx', '--expose-gc', ...(init.execArgv ?? [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new IpcChild<Request>(child, init.name);
  }

  request<T>(request: Request, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${this.name} to answer '${request.op}'`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, request } satisfies Envelope<Request>);
    });
  }

  /** Sends `last` (after which the child closes its channel and exits by itself), then kills it if it has not exited in time. */
  async stop(last: Request, timeoutMs: number): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    await this.request(last, timeoutMs).catch(() => undefined);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([exited, deadline]);
    this.kill();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

/**
 * The child's side: answers each request with `serve`'s value or error. After answering a request
 * for which `isLast` is true it closes the channel, which lets the process exit (and write a CPU
 * profile, when asked for one).
 */
export function serveIpc<Request extends IpcRequest>(serve: (request: Request) => Promise<unknown>, isLast: (request: Request) => boolean): void {
  process.on('message', (envelope: Envelope<Request>) => {
    const answer = (reply: Reply): void => {
      process.send?.(reply, undefined, {}, () => {
        if (isLast(envelope.request)) process.disconnect();
      });
    };
    serve(envelope.request).then(
      (value) => answer({ id: envelope.id, ok: true, value }),
      (error: unknown) => answer({ id: envelope.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
