/**
 * A credit or adjustment committed, and in the same transaction the account was marked due for threshold
 * evaluation (`evaluation_due_at_ms`): billing evaluates it now rather than at the next run.
 */
export class BalanceChangedEvent {
  constructor(readonly userId: string) {}
}
