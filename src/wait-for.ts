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

/** Resolves when `work` settles or rejects with `description` after `timeoutMs` (a deadline, not a sleep). */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
