import type { IdentityRef } from '../state/identity.js';

/** What the service asked for (`POST /twins/{id}[/modules/{mid}]/methods`, swagger CloudToDeviceMethod). */
export interface MethodInvocation {
  readonly methodName: string;
  /** The request payload, already serialised as the device will receive it. */
  readonly payload: string;
  readonly responseTimeoutInSeconds: number;
  readonly connectTimeoutInSeconds: number;
}

export type MethodOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly payload: Buffer }
  /** The target has no connection, or its connection has not subscribed to method requests. */
  | { readonly kind: 'not-online' }
  | { readonly kind: 'timed-out' };

/**
 * The REST side's view of direct methods: it hands an invocation to whatever delivers it to devices
 * (the MQTT broker) and waits for the outcome. Keeps the REST adapters free of MQTT.
 */
export interface DirectMethodInvoker {
  invoke(identity: IdentityRef, invocation: MethodInvocation): Promise<MethodOutcome>;
}
