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
  action: 'create' | 'suspend' | 'unsuspend' | 'terminate';
  instanceId: string;
  hypervisorId: string | null;
  at: string;
  ok: boolean;
}

/** Records every call; `failNext(n)` makes the next n calls throw, to show the outbox retrying. */
@Injectable()
export class DemoProvisioner implements InstanceProvisioner {
  readonly calls: ProvisionerCall[] = [];
  private failuresLeft = 0;
  clock: Clock = { now: () => new Date() };

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  get pendingFailures(): number {
    return this.failuresLeft;
  }

  async create(request: ProvisionRequest): Promise<void> {
    this.record('create', request.instanceId, request.hypervisorId);
  }
  async suspend(instanceId: string): Promise<void> {
    this.record('suspend', instanceId, null);
  }
  async unsuspend(instanceId: string): Promise<void> {
    this.record('unsuspend', instanceId, null);
  }
  async terminate(instanceId: string): Promise<void> {
    this.record('terminate', instanceId, null);
  }

  private record(action: ProvisionerCall['action'], instanceId: string, hypervisorId: string | null): void {
    const ok = this.failuresLeft <= 0;
    if (!ok) this.failuresLeft -= 1;
    this.calls.push({ action, instanceId, hypervisorId, at: this.clock.now().toISOString(), ok });
    if (!ok) throw new Error(`simulated provisioner failure on ${action} ${instanceId}`);
  }
}

export interface DeliveredMessage {
  userId: string;
  kind: string;
  subject: string;
  html: string;
  text: string;
  at: string;
}

@Injectable()
export class DemoNotifier implements BillingNotifier {
  readonly delivered: DeliveredMessage[] = [];
  clock: Clock = { now: () => new Date() };

  async deliver(userId: string, kind: string, message: RenderedMessage): Promise<void> {
    this.delivered.push({ userId, kind, ...message, at: this.clock.now().toISOString() });
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
