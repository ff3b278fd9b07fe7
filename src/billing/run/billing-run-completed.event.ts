/**
 * Emitted after every billing run, once its settlement committed: features above billing (monthly statements) act
 * on what the run settled without billing importing them. The settled-until marks are the durable record, so a
 * handler that fails or never ran is caught up by the next run's event.
 */
export class BillingRunCompletedEvent {
  constructor(readonly at: Date) {}
}
