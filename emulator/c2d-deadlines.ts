import type { Clock } from './state/clock.js';
import type { CloudToDeviceQueues } from './state/cloud-to-device.js';

/** setTimeout's largest delay; a later deadline is reached in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Wakes the pure C2D queues when their next deadline comes (a message's expiry, a lock's timeout),
 * so expired messages are dead-lettered with their feedback and timed-out ones delivered again
 * without anyone asking. Re-armed after every change. Returns the stop function.
 */
export function scheduleCloudToDeviceDeadlines(queues: CloudToDeviceQueues, clock: Clock): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    const next = queues.nextDeadline();
    if (next === undefined) return;
    timer = setTimeout(() => {
      queues.expire();
      arm();
    }, Math.min(Math.max(0, next - clock.now().getTime()), MAX_TIMER_MS));
    // The deadlines must never keep a process alive on their own.
    timer.unref();
  };
  const stop = queues.changes.subscribe(arm);
  arm();
  return () => {
    stop();
    clearTimeout(timer);
  };
}
