/** Runs operations one after another, in call order; a failed one does not stop the ones after it. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Settles once everything queued so far has. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
