import { Inject, Injectable, Logger } from '@nestjs/common';
import { BILLING_NOTIFIER, CLOCK, INSTANCE_PROVISIONER } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import type { BillingNotifier, InstanceProvisioner, RenderedMessage } from '../../host/ports';
import { EMAIL_KINDS } from '../notifications/email-kind';
import {
  DELIVERY_BATCH_SIZE,
  LEASE_MS,
  PORT_TIMEOUT_MS,
  describeError,
  retryDelayMs,
  withTimeout,
} from './delivery-policy';
import type { OutboxEntity } from './outbox.entity';
import { NewOutboxRow, OutboxRepository } from './outbox.repository';
import type {
  OutboxDeliveryReport,
  OutboxItem,
  PaymentAction,
  PaymentDelivery,
  ProvisionerAction,
} from './outbox.types';

export const MAX_DEDUPE_KEY_LENGTH = 160;
const MAX_ID_LENGTH = 64;
/** A MySQL TEXT column holds 65,535 bytes. */
const MAX_PAYLOAD_BYTES = 65_535;
const PROVISIONER_ACTIONS: readonly string[] = [
  'suspend',
  'unsuspend',
  'terminate',
  'stop',
] satisfies ProvisionerAction[];
const PAYMENT_ACTIONS: readonly string[] = ['charge'] satisfies PaymentAction[];

/**
 * The billing engine's side effects (emails, suspend / unsuspend / terminate) are written here in the
 * transaction that decides them and delivered afterwards, retried with backoff until the port accepts
 * them: a failing mailer or host delays them, but never drops or duplicates them.
 *
 * The one window left: a process that dies after the port accepted a row and before "done" is written
 * leaves the row leased; once the lease runs out another run delivers it again. Every port call carries
 * the row's dedupe key as its idempotency key, the same on every attempt, so the host can tell that
 * repeat from a new call and drop it (see InstanceProvisioner in host/ports.ts).
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private paymentHandler: ((delivery: PaymentDelivery) => Promise<void>) | null = null;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
    @Inject(BILLING_NOTIFIER) private readonly notifier: BillingNotifier,
    @Inject(INSTANCE_PROVISIONER) private readonly provisioner: InstanceProvisioner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Records `item` in the unit of work `tx`, due at once. The same `dedupeKey` again — a retried run, a second
   * replica — is skipped without disturbing the transaction. Returns true when the row is new.
   */
  enqueue(tx: Tx, item: OutboxItem): Promise<boolean> {
    return this.repository.insertIfAbsent(tx, this.toRow(item, this.clock.now().getTime()));
  }

  /**
   * The payments feature (above billing, which cannot import it) registers how a 'payment' row is delivered when its
   * module starts. The handler throws when the payment failed: the row is then retried with the usual backoff.
   * Without a handler, payment rows stay pending and visible.
   */
  handlePayments(handler: (delivery: PaymentDelivery) => Promise<void>): void {
    this.paymentHandler = handler;
  }

  /**
   * Delivers every pending row due by `now`, oldest first, each at most once across replicas. Safe to run
   * at any time and from several processes at once; a failing row is rescheduled and the run goes on.
   */
  async deliverDue(now: Date = this.clock.now()): Promise<OutboxDeliveryReport> {
    const nowMs = now.getTime();
    let delivered = 0;
    let failed = 0;
    // Walked by id rather than by offset: rows change status under us as they are delivered.
    let afterId: string | null = null;
    for (;;) {
      const batch = await this.repository.findDue(nowMs, afterId, DELIVERY_BATCH_SIZE);
      for (const row of batch) {
        const outcome = await this.deliverOne(row, nowMs);
        if (outcome === 'delivered') delivered += 1;
        if (outcome === 'failed') failed += 1;
      }
      if (batch.length < DELIVERY_BATCH_SIZE) break;
      afterId = batch[batch.length - 1].id;
    }
    const pending = await this.repository.countPending();
    if (delivered || failed) this.logger.log(`outbox: ${delivered} delivered, ${failed} failed, ${pending} pending`);
    return { delivered, failed, pending };
  }

  private async deliverOne(row: OutboxEntity, runNowMs: number): Promise<'delivered' | 'failed' | 'skipped'> {
    // A long run reads the clock again, so a lease taken late in the run still lasts LEASE_MS from now.
    const claimAtMs = Math.max(runNowMs, this.clock.now().getTime());
    const leaseUntilMs = claimAtMs + LEASE_MS;
    if (!(await this.write((tx) => this.repository.claim(tx, row, claimAtMs, leaseUntilMs)))) return 'skipped';
    try {
      await withTimeout(
        Promise.resolve().then(() => this.callPort(row)),
        PORT_TIMEOUT_MS,
        `${row.channel} ${row.action}`,
      );
    } catch (error) {
      const attempts = row.attempts + 1;
      const failedAtMs = Math.max(runNowMs, this.clock.now().getTime());
      const message = describeError(error);
      await this.write((tx) =>
        this.repository.markFailed(tx, row, leaseUntilMs, message, failedAtMs + retryDelayMs(attempts)),
      );
      this.logger.warn(`outbox ${row.dedupeKey}: attempt ${attempts} failed: ${message}`);
      return 'failed';
    }
    const doneAtMs = Math.max(runNowMs, this.clock.now().getTime());
    await this.write((tx) => this.repository.markDone(tx, row, doneAtMs));
    return 'delivered';
  }

  /**
   * One conditional UPDATE of a row's lease or status, a unit of work of its own: on SQLite's one connection
   * it must not land inside another caller's transaction. Locked writes: the condition is checked under the row's
   * lock, so of several replicas exactly one changes the row.
   */
  private write<T>(statement: (tx: Tx) => Promise<T>): Promise<T> {
    return this.unitOfWork.run(statement, { isolation: Isolation.LockedWrites });
  }

  private async callPort(row: OutboxEntity): Promise<void> {
    if (row.channel === 'email') {
      const message = JSON.parse(row.payload) as RenderedMessage;
      return this.notifier.deliver(row.userId, row.action, message, row.dedupeKey);
    }
    if (row.channel === 'payment') {
      if (!this.paymentHandler) throw new Error('no payment handler is registered');
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      return this.paymentHandler({
        dedupeKey: row.dedupeKey,
        userId: row.userId,
        payload,
        failedAttempts: row.attempts,
      });
    }
    const instanceId = row.instanceId;
    if (!instanceId) throw new Error(`provisioner row ${row.id} has no instance id`);
    switch (row.action) {
      case 'suspend':
        return this.provisioner.suspend(instanceId, row.dedupeKey);
      case 'unsuspend':
        return this.provisioner.unsuspend(instanceId, row.dedupeKey);
      case 'terminate':
        return this.provisioner.terminate(instanceId, row.dedupeKey);
      case 'stop':
        // `stop` is optional for hosts: one without it suspends, which halts the instance as well.
        return this.provisioner.stop
          ? this.provisioner.stop(instanceId, row.dedupeKey)
          : this.provisioner.suspend(instanceId, row.dedupeKey);
      default:
        // Stays pending and visible rather than being dropped; enqueue refuses this, so only a bad row gets here.
        throw new Error(`unknown provisioner action "${row.action}"`);
    }
  }

  /** Checks everything MySQL's INSERT IGNORE would otherwise truncate or coerce without an error. */
  private toRow(item: OutboxItem, nowMs: number): NewOutboxRow {
    const fail = (why: string): never => {
      throw new RangeError(`outbox item ${JSON.stringify(item.dedupeKey)}: ${why}`);
    };
    if (!item.dedupeKey || item.dedupeKey.length > MAX_DEDUPE_KEY_LENGTH) {
      fail(`the dedupe key must be 1–${MAX_DEDUPE_KEY_LENGTH} characters`);
    }
    if (!item.userId || item.userId.length > MAX_ID_LENGTH) fail(`the user id must be 1–${MAX_ID_LENGTH} characters`);
    const instanceId = item.instanceId ?? null;
    if (instanceId !== null && (!instanceId || instanceId.length > MAX_ID_LENGTH)) {
      fail(`the instance id must be 1–${MAX_ID_LENGTH} characters`);
    }
    if (item.channel === 'email') {
      if (!(EMAIL_KINDS as readonly string[]).includes(item.action)) fail(`unknown email kind "${item.action}"`);
      const { subject, html, text } = item.payload ?? {};
      if (typeof subject !== 'string' || typeof html !== 'string' || typeof text !== 'string') {
        fail('an email payload needs subject, html and text');
      }
    } else if (item.channel === 'provisioner') {
      if (!PROVISIONER_ACTIONS.includes(item.action)) fail(`unknown provisioner action "${item.action}"`);
      if (instanceId === null) fail('a provisioner call needs an instance id');
    } else if (item.channel === 'payment') {
      if (!PAYMENT_ACTIONS.includes(item.action)) fail(`unknown payment action "${item.action}"`);
    } else {
      fail(`unknown channel "${(item as { channel: unknown }).channel}"`);
    }
    const payload = JSON.stringify(item.channel === 'email' ? pickMessage(item.payload) : (item.payload ?? {}));
    if (Buffer.byteLength(payload, 'utf8') > MAX_PAYLOAD_BYTES) fail(`the payload exceeds ${MAX_PAYLOAD_BYTES} bytes`);
    return {
      dedupeKey: item.dedupeKey,
      channel: item.channel,
      action: item.action,
      userId: item.userId,
      instanceId,
      payload,
      status: 'pending',
      attempts: 0,
      nextAttemptAtMs: nowMs,
      leaseUntilMs: null,
      lastError: null,
      createdAtMs: nowMs,
      doneAtMs: null,
    };
  }
}

/** Only the three fields a port receives, whatever else the caller's object carries. */
function pickMessage({ subject, html, text }: RenderedMessage): RenderedMessage {
  return { subject, html, text };
}
