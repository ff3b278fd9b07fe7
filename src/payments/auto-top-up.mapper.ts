import type { AutoTopUpAttemptResponseDto, AutoTopUpResponseDto } from './auto-top-up.dto';
import type { AutoTopUpView } from './auto-top-up.service';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function mapAutoTopUp({ rule, month, monthTotalMicros, attempts, view }: AutoTopUpView): AutoTopUpResponseDto {
  const money = (micros: number | null) => (micros === null ? null : view.money(micros));
  return {
    rule: rule && {
      threshold: view.money(rule.thresholdMicros),
      amount: money(rule.amountMicros),
      target: money(rule.targetMicros),
      monthlyLimit: view.money(rule.monthlyLimitMicros),
      currency: rule.currencyCode,
    },
    month,
    monthToDate: view.money(monthTotalMicros),
    attempts: attempts.map((attempt): AutoTopUpAttemptResponseDto => ({
      key: attempt.attemptKey,
      status: attempt.status,
      credits: view.money(attempt.creditedMicros),
      chargedAmount: attempt.currencyAmount,
      chargedCurrency: attempt.currencyCode,
      failures: attempt.failures,
      lastError: attempt.lastError,
      paymentReference: attempt.paymentReference,
      createdAt: new Date(attempt.createdAtMs).toISOString(),
      completedAt: iso(attempt.completedAtMs),
    })),
  };
}
