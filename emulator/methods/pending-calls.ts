/**
 * Bookkeeping of direct-method calls waiting for the device's answer. Pure: the caller owns timers and
 * transports; this only matches a response (client id + request id) to the call that is waiting for it.
 */
export interface MethodResult {
  readonly status: number;
  /** The device's response body as it sent it; the REST adapter parses it. */
  readonly payload: Buffer;
}

interface PendingCall {
  readonly clientId: string;
  readonly settle: (result: MethodResult) => void;
}

export class PendingMethodCalls {
  private readonly calls = new Map<string, PendingCall>();
  private nextId = 1;

  /** Registers a call and returns the request id to put in `$rid`. */
  start(clientId: string, settle: (result: MethodResult) => void): string {
    const requestId = (this.nextId++).toString(16);
    this.calls.set(requestId, { clientId, settle });
    return requestId;
  }

  /**
   * Settles the call if this client is the one it was sent to; a response with an unknown or foreign
   * request id is ignored (returns false), so a client cannot answer another identity's call.
   */
  respond(clientId: string, requestId: string, result: MethodResult): boolean {
    const call = this.calls.get(requestId);
    if (call?.clientId !== clientId) return false;
    this.calls.delete(requestId);
    call.settle(result);
    return true;
  }

  /** Forgets a call (timed out or failed to send); true if it was still waiting. */
  cancel(requestId: string): boolean {
    return this.calls.delete(requestId);
  }
}
