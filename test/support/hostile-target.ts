import { fileURLToPath } from 'node:url';
import type { HostMemory, HostRequest, HostStarted, ModuleRef } from '../load/load-protocol.js';
import type { Attacker, Target } from './hostile-mqtt.js';
import { IpcChild } from './ipc-child.js';

/**
 * An embedded emulator in a process of its own (the load test's host, test/load/emulator-host.ts),
 * so that its RSS is measured alone while hostile clients in this process attack it; with one module
 * identity registered for the attacks that authenticate first.
 */
export class HostileTarget {
  private constructor(
    private readonly host: IpcChild<HostRequest>,
    readonly target: Target,
    /** Module identities `attacker/m0`, `attacker/m1`, ...: one connection each (a second one takes over). */
    readonly attackers: readonly Attacker[],
  ) {}

  get attacker(): Attacker {
    const [first] = this.attackers;
    if (first === undefined) throw new Error('No attacker identity was registered.');
    return first;
  }

  static async start(attackers = 1): Promise<HostileTarget> {
    const host = IpcChild.fork<HostRequest>({ script: fileURLToPath(new URL('../load/emulator-host.ts', import.meta.url)), name: 'the emulator host' });
    try {
      const started = await host.request<HostStarted>({ op: 'start' }, 30_000);
      const refs: ModuleRef[] = Array.from({ length: attackers }, (_, index) => ({ deviceId: 'attacker', moduleId: `m${index}` }));
      const connectionStrings = await host.request<string[]>({ op: 'register', ids: refs }, 60_000);
      const keyed = refs.map((ref, index) => {
        const primaryKey = /SharedAccessKey=([^;]+)/.exec(connectionStrings[index] ?? '')?.[1];
        if (primaryKey === undefined) throw new Error(`The emulator host returned no key for ${ref.deviceId}/${ref.moduleId}.`);
        return { ...ref, primaryKey };
      });
      const target: Target = { hostName: started.hostName, mqttPort: started.mqttPort, httpsPort: started.httpsPort, ca: started.ca };
      return new HostileTarget(host, target, keyed);
    } catch (error) {
      host.kill();
      throw error;
    }
  }

  /** RSS and heap after a GC, and the highest RSS sampled since the previous call. */
  memory(): Promise<HostMemory> {
    return this.host.request<HostMemory>({ op: 'memory' }, 10_000);
  }

  async stop(): Promise<void> {
    await this.host.stop({ op: 'stop' }, 15_000);
  }
}
