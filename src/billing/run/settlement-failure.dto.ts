import type { SettlementFailureEntity } from '../settlement/settlement-failure.entity';

export class SettlementFailureResponseDto {
  userId: string;
  /** The hour the account is stuck at. */
  hour: string;
  error: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
}

export function mapSettlementFailure(failure: SettlementFailureEntity): SettlementFailureResponseDto {
  return {
    userId: failure.userId,
    hour: new Date(failure.hourStartMs).toISOString(),
    error: failure.error,
    attempts: failure.attempts,
    firstFailedAt: new Date(failure.firstFailedAtMs).toISOString(),
    lastFailedAt: new Date(failure.lastFailedAtMs).toISOString(),
  };
}
