import { Injectable } from '@nestjs/common';
import type {
  AuthenticatedUser,
  BillingNotifier,
  CurrentUser,
  DirectoryUser,
  HypervisorInfo,
  HypervisorInventory,
  InstanceProvisioner,
  ProvisionRequest,
  RenderedMessage,
  UserDirectory,
} from '../host/ports';
import type { Clock } from '../common/clock';
import { InjectedFailures } from './injected-failures';

/** The simulated fleet: hypervisors live in memory and can be changed over /demo/hypervisors. */
@Injectable()
export class DemoHypervisorInventory implements HypervisorInventory {
  private readonly hypervisors = new Map<string, HypervisorInfo>();

  async listHypervisors(): Promise<HypervisorInfo[]> {
    return [...this.hypervisors.values()].map((h) => ({ ...h }));
  }

  has(id: string): boolean {
    return this.hypervisors.has(id);
  }

  upsert(hypervisor: HypervisorInfo): HypervisorInfo {
    this.hypervisors.set(hypervisor.id, { ...hypervisor });
    return { ...hypervisor };
  }
}

export interface ProvisionerCall {
  action: 'create' | 'suspend' | 'unsuspend' | 'terminate' | 'stop';
  instanceId: string;
  hypervisorId: string | null;
  /** The key the plugin sent with the call; null when it sent none. */
  idempotencyKey: string | null;
  at: string;
  ok: boolean;
  /** A repeat of a call already accepted with the same key: answered with success and not acted on. */
  repeat: boolean;
}

/**
 * Keys of the calls a port accepted, the way a real host would keep them (in a table with a unique key): a
 * second call with an accepted key is a repeat after a crash, to be answered with success and not acted on.
 * A failed call is not remembered, so its retry acts.
 */
class AcceptedKeys {
  private readonly keys = new Set<string>();

  isRepeat(key: string | undefined): boolean {
    return key !== undefined && this.keys.has(key);
  }

  accept(key: string | undefined): void {
    if (key !== undefined) this.keys.add(key);
  }
}

/** Records every call; `failNext(n)` makes the next n calls throw, to show the outbox retrying. */
@Injectable()
export class DemoProvisioner extends InjectedFailures implements InstanceProvisioner {
  readonly calls: ProvisionerCall[] = [];
  private readonly accepted = new AcceptedKeys();

  async create(request: ProvisionRequest, idempotencyKey?: string): Promise<void> {
    this.record('create', request.instanceId, request.hypervisorId, idempotencyKey);
  }
  async suspend(instanceId: string, idempotencyKey?: string): Promise<void> {
    this.record('suspend', instanceId, null, idempotencyKey);
  }
  async unsuspend(instanceId: string, idempotencyKey?: string): Promise<void> {
    this.record('unsuspend', instanceId, null, idempotencyKey);
  }
  async terminate(instanceId: string, idempotencyKey?: string): Promise<void> {
    this.record('terminate', instanceId, null, idempotencyKey);
  }
  async stop(instanceId: string, idempotencyKey?: string): Promise<void> {
    this.record('stop', instanceId, null, idempotencyKey);
  }

  private record(
    action: ProvisionerCall['action'],
    instanceId: string,
    hypervisorId: string | null,
    idempotencyKey: string | undefined,
  ): void {
    const call = { action, instanceId, hypervisorId, idempotencyKey: idempotencyKey ?? null };
    const at = this.clock.now().toISOString();
    if (this.accepted.isRepeat(idempotencyKey)) {
      this.calls.push({ ...call, at, ok: true, repeat: true });
      return;
    }
    const ok = !this.failsNow();
    this.calls.push({ ...call, at, ok, repeat: false });
    if (!ok) throw new Error(`simulated provisioner failure on ${action} ${instanceId}`);
    this.accepted.accept(idempotencyKey);
  }
}

export interface DeliveredMessage {
  userId: string;
  kind: string;
  subject: string;
  html: string;
  text: string;
  idempotencyKey: string | null;
  at: string;
}

/** The demo's mailbox; a message repeated with a key it already delivered is dropped, as a real mailer should. */
@Injectable()
export class DemoNotifier implements BillingNotifier {
  readonly delivered: DeliveredMessage[] = [];
  private readonly accepted = new AcceptedKeys();
  clock: Clock = { now: () => new Date() };

  async deliver(userId: string, kind: string, message: RenderedMessage, idempotencyKey?: string): Promise<void> {
    if (this.accepted.isRepeat(idempotencyKey)) return;
    const { subject, html, text } = message;
    const at = this.clock.now().toISOString();
    this.delivered.push({ userId, kind, subject, html, text, idempotencyKey: idempotencyKey ?? null, at });
    this.accepted.accept(idempotencyKey);
  }
}

/** Any id is a user; the demo invents a mailbox for it. */
@Injectable()
export class DemoUserDirectory implements UserDirectory {
  async findUser(userId: string): Promise<DirectoryUser> {
    return { id: userId, email: `${userId}@demo.invalid`, displayName: userId };
  }
}

export const DEMO_USER_COOKIE = 'cloud_billing_demo_user';
/** Ids the demo accepts, from the header or the cookie; anything else is anonymous. */
export const DEMO_USER_ID_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/** `x-user-id: <id>` or the login cookie; ids in DEMO_ADMINS are admins. */
export class DemoCurrentUser implements CurrentUser {
  constructor(private readonly admins: ReadonlySet<string>) {}

  fromRequest(request: unknown): AuthenticatedUser | null {
    const req = request as {
      headers?: Record<string, string | string[] | undefined>;
      cookies?: Record<string, string>;
    };
    const header = req.headers?.['x-user-id'];
    const id = (Array.isArray(header) ? header[0] : header) ?? req.cookies?.[DEMO_USER_COOKIE];
    if (!id || !DEMO_USER_ID_PATTERN.test(id)) return null;
    return { id, isAdmin: this.admins.has(id) };
  }
}
