import { Injectable } from '@nestjs/common';
import type { Clock } from '../common/clock';

/** The demo's clock: real time, or frozen (DEMO_CLOCK=manual) and moved only by POST /demo/clock. */
@Injectable()
export class DemoClock implements Clock {
  private frozenAt: Date | null;

  constructor(manual: boolean, start: Date = new Date()) {
    this.frozenAt = manual ? start : null;
  }

  get isManual(): boolean {
    return this.frozenAt !== null;
  }

  now(): Date {
    return this.frozenAt ? new Date(this.frozenAt) : new Date();
  }

  set(at: Date): void {
    this.frozenAt = new Date(at);
  }
}
