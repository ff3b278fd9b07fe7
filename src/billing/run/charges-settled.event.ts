/**
 * A billing run charged its hours; thresholds are evaluated next. Features above billing that act on balances after
 * charges subscribe (auto top-up: a payment that succeeds now is credited before a suspension is decided).
 */
export class ChargesSettledEvent {
  constructor(readonly at: Date) {}
}
