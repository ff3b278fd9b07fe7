/**
 * A billing run has settled what was due by `now` and evaluated the thresholds; its outbox is delivered right after
 * the handlers return, so what they queue goes out in the same run. Features above billing (budgets, statements) act on it
 * without billing knowing them, and statements close the months now settled. A nudge only: a handler that fails, or a run that dies before it, is made up by the
 * next run, which evaluates from the ledger again.
 */
export class BillingSettledEvent {
  constructor(readonly now: Date) {}
}
