import type { IdentityRef } from '../state/identity.js';
import type { DirectMethodInvoker, MethodInvocation, MethodOutcome } from './method-invoker.js';

/** A transport's method channel that can tell whether an identity listens for methods on it now. */
export interface TransportMethodChannel extends DirectMethodInvoker {
  isListening(identity: IdentityRef): boolean;
  /** Calls `listener` whenever an identity may have started or stopped listening; returns the unsubscribe function. */
  onListeningChange(listener: () => void): () => void;
}

/**
 * Direct methods to whichever transport the target listens on ("Understand and invoke direct
 * methods": the device must be online and subscribed, or come online within connectTimeoutInSeconds).
 * The call waits up to that timeout for the identity to listen on any transport, then goes there.
 */
export function invokerAcrossTransports(channels: readonly TransportMethodChannel[]): DirectMethodInvoker {
  return {
    async invoke(identity: IdentityRef, invocation: MethodInvocation): Promise<MethodOutcome> {
      const channel = await listeningChannel(channels, identity, invocation.connectTimeoutInSeconds * 1000);
      if (channel === undefined) return { kind: 'not-online' };
      return channel.invoke(identity, { ...invocation, connectTimeoutInSeconds: 0 });
    },
  };
}

function listeningChannel(channels: readonly TransportMethodChannel[], identity: IdentityRef, timeoutMs: number): Promise<TransportMethodChannel | undefined> {
  const probe = (): TransportMethodChannel | undefined => channels.find((channel) => channel.isListening(identity));
  const now = probe();
  if (now !== undefined || timeoutMs <= 0) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (found: TransportMethodChannel | undefined): void => {
      clearTimeout(timer);
      stops.forEach((stop) => stop());
      resolve(found);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const stops = channels.map((channel) =>
      channel.onListeningChange(() => {
        const found = probe();
        if (found !== undefined) finish(found);
      }),
    );
  });
}
