/**
 * The scenario's one record of what it last tried that may fail: the result, or the error. A When
 * step attempts; a Then step asserts on what the attempt left here.
 */
export class LastAttempt {
  private outcome: { readonly result?: unknown; readonly error?: unknown } = {};

  get result(): unknown {
    return this.outcome.result;
  }

  get error(): unknown {
    return this.outcome.error;
  }

  async run(action: () => Promise<unknown>): Promise<void> {
    this.outcome = {};
    try {
      this.outcome = { result: await action() };
    } catch (error) {
      this.outcome = { error };
    }
  }
}
