import type { Connection } from './rhea.js';

interface FrameHandlers {
  readonly remote_channel_map: Readonly<Record<number, unknown>>;
  [handler: string]: unknown;
}

/** Frames a client may still send on a session it has just ended, for deliveries that crossed its `end`. */
const LATE_FRAMES = ['on_disposition', 'on_flow', 'on_transfer'] as const;

/**
 * A client can end a session while the emulator's transfers on it are in flight; rhea clients (the
 * Event Hubs consumer auto-accepts) then settle them with a disposition on the channel they ended.
 * rhea's server calls that a protocol error and drops the whole connection, which takes the client's
 * other links with it and leaves its close waiting. AMQP 1.0 §2.7 makes such frames meaningless once
 * the session is gone, so this connection ignores them instead of failing.
 */
export function ignoreLateSessionFrames(connection: Connection): void {
  const frames = connection as unknown as FrameHandlers;
  for (const name of LATE_FRAMES) {
    const original = frames[name];
    if (typeof original !== 'function') continue;
    frames[name] = function (this: FrameHandlers, frame: { readonly channel: number }): void {
      if (this.remote_channel_map[frame.channel] === undefined) return;
      (original as (frame: unknown) => void).call(this, frame);
    };
  }
}
