import type { RenderedMessage } from '../../host/ports';
import type { EmailKind } from '../notifications/email-kind';

export type OutboxChannel = 'email' | 'provisioner' | 'payment';
/** `stop` (a user's budget at 100 %) falls back to `suspend` on a host whose provisioner has no stop (host/ports.ts). */
export type ProvisionerAction = 'suspend' | 'unsuspend' | 'terminate' | 'stop';
/** A payment row asks a feature above billing (payments) to charge the user; see OutboxService.handlePayments. */
export type PaymentAction = 'charge';
export type OutboxAction = EmailKind | ProvisionerAction | PaymentAction;
export type OutboxStatus = 'pending' | 'done';

/** An email is stored already rendered, so every retry sends exactly the message decided at enqueue time. */
export interface EmailOutboxItem {
  /** Names the intent (e.g. `low-balance:<user>:<episode>`); at most 160 characters. */
  dedupeKey: string;
  channel: 'email';
  action: EmailKind;
  userId: string;
  instanceId?: string | null;
  payload: RenderedMessage;
}

export interface ProvisionerOutboxItem {
  dedupeKey: string;
  channel: 'provisioner';
  action: ProvisionerAction;
  userId: string;
  instanceId: string;
  /** Kept for the audit trail (e.g. why it was suspended); the provisioner port only receives the instance id. */
  payload?: Record<string, unknown>;
}

/** Delivered by the handler the payments feature registers; the row's dedupe key is the payment's idempotency key. */
export interface PaymentOutboxItem {
  dedupeKey: string;
  channel: 'payment';
  action: PaymentAction;
  userId: string;
  instanceId?: null;
  /** What the handler needs to act (e.g. the attempt's key); kept as JSON. */
  payload: Record<string, unknown>;
}

/** What a payment handler receives: the row as enqueued, and how many attempts failed before this one. */
export interface PaymentDelivery {
  dedupeKey: string;
  userId: string;
  payload: Record<string, unknown>;
  failedAttempts: number;
}

export type OutboxItem = EmailOutboxItem | ProvisionerOutboxItem | PaymentOutboxItem;

export interface OutboxDeliveryReport {
  /** Rows whose port call succeeded in this run. */
  delivered: number;
  /** Rows whose port call failed in this run; they stay pending and are retried after their backoff. */
  failed: number;
  /** Rows still pending after the run (due later, failed, or leased by another replica). */
  pending: number;
}
