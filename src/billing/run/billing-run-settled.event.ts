/**
 * A billing run settled its hours and evaluated thresholds; its outbox delivery follows. Features above billing
 * that act on balances after charges (auto top-up) subscribe: what they enqueue here goes out in the same run.
 */
export class BillingRunSettledEvent {
  constructor(readonly at: Date) {}
}
