import { Injectable } from '@nestjs/common';
import { InjectedFailures } from './injected-failures';
import type { PaymentGateway } from '../host/ports';

export interface DemoCharge {
  userId: string;
  amount: string;
  currency: string;
  idempotencyKey: string;
  /** The payment's reference; null for a call that failed. */
  reference: string | null;
  at: string;
  ok: boolean;
  /** A repeat of a key already charged: answered with the first reference, nothing charged again. */
  repeat: boolean;
}

/**
 * A fake card processor: remembers the keys it charged (as a real gateway does), so a repeat after a crash
 * answers the first charge's reference; `failNext(n)` declines the next n calls, to show the outbox retrying.
 */
@Injectable()
export class DemoPaymentGateway extends InjectedFailures implements PaymentGateway {
  readonly calls: DemoCharge[] = [];
  private readonly charged = new Map<string, string>();

  async charge(
    userId: string,
    amount: string,
    currency: string,
    idempotencyKey: string,
  ): Promise<{ reference: string }> {
    const call = { userId, amount, currency, idempotencyKey, at: this.clock.now().toISOString() };
    const earlier = this.charged.get(idempotencyKey);
    if (earlier !== undefined) {
      this.calls.push({ ...call, reference: earlier, ok: true, repeat: true });
      return { reference: earlier };
    }
    if (this.failsNow()) {
      this.calls.push({ ...call, reference: null, ok: false, repeat: false });
      throw new Error('card declined (simulated)');
    }
    const reference = `demo-pay-${this.charged.size + 1}`;
    this.charged.set(idempotencyKey, reference);
    this.calls.push({ ...call, reference, ok: true, repeat: false });
    return { reference };
  }
}
