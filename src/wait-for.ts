import { once, type EventEmitter } from 'node:events';

export interface WaitOptions {
  /** What is being waited for, in words: it is the timeout's message. */
  readonly description: string;
  readonly timeoutMs: number;
  /** Emits `change` whenever the probed state may have changed; the probe is re-run then. */
  readonly changes: EventEmitter;
  /** Describes what was seen instead, for the timeout message. */
  readonly seen?: () => string;
}

/**
 * Waits, with a deadline and no polling sleep, until `probe` returns a value. Rejects with a message
 * that says what was awaited, for how long, and what was seen instead.
 */
export async function waitFor<T>(probe: () => T | undefined, options: WaitOptions): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      try {
        await once(options.changes, 'change', { signal: controller.signal });
      } catch {
        const seen = options.seen === undefined ? '' : `; seen instead: ${options.seen()}`;
        throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.description}${seen}`);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
