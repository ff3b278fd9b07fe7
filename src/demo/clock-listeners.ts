import { Injectable } from '@nestjs/common';

export type DemoClockListener = (now: Date) => Promise<unknown>;

/**
 * What POST /demo/clock runs after it moves the manual clock: the work the
 * scheduler would have done by that time (hourly settlement, outbox, …). The
 * plugin never imports the demo, so the demo host registers the plugin's
 * idempotent service methods here itself.
 */
@Injectable()
export class DemoClockListeners {
  private readonly listeners: DemoClockListener[] = [];

  register(listener: DemoClockListener): void {
    this.listeners.push(listener);
  }

  /**
   * Runs the listeners one after the other, in registration order, as a cron
   * tick would, and returns what each reported. A failure propagates: the
   * clock has moved regardless, and the next move or the admin run endpoint
   * finishes the work, since every listener is idempotent.
   */
  async notify(now: Date): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const listener of this.listeners) results.push(await listener(new Date(now)));
    return results;
  }
}
