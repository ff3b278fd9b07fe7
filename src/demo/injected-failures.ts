import type { Clock } from '../common/clock';

/**
 * What the demo's fake ports share: a clock for their call records (the demo clock, once wired) and a count of
 * calls to fail next, so the demo and the tests can watch the outbox retry.
 */
export abstract class InjectedFailures {
  private failuresLeft = 0;
  clock: Clock = { now: () => new Date() };

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  get pendingFailures(): number {
    return this.failuresLeft;
  }

  /** True when this call is to fail, counting it off. */
  protected failsNow(): boolean {
    if (this.failuresLeft <= 0) return false;
    this.failuresLeft -= 1;
    return true;
  }
}
