/**
 * What the host panel supplies. Each port is an interface plus an injection
 * token; the host passes implementations through CloudBillingModule options.
 */

export interface HypervisorInfo {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  online: boolean;
}

export interface HypervisorInventory {
  listHypervisors(): Promise<HypervisorInfo[]>;
}

export interface ProvisionRequest {
  instanceId: string;
  userId: string;
  hypervisorId: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  gpus: number;
}

/**
 * Calls may fail or time out; the module retries through its outbox.
 *
 * `idempotencyKey` names the intent (the outbox row's dedupe key, e.g. `suspend:<instance>:<episode>`, at most
 * 160 characters). A process that dies after the host accepted a call and before the outbox recorded it as done
 * sends the same call again, with the same key, once its lease runs out: a host should remember the keys of the
 * calls it accepted and answer a repeat with success without acting again. A call that failed did not count;
 * its retry carries the same key and must act. Optional, so adapters written before it keep working.
 * `create` is made by the wizard while the user waits, not through the outbox; its key is `create:<instanceId>`,
 * the same however often that instance's creation is attempted.
 *
 * `stop` is optional: it powers an instance off when the user's budget (action `stop`) is used up, once per
 * instance and month (key `budget-stop:<instance>:<YYYY-MM>`). A host without it gets `suspend` with that same
 * key instead, and the plugin records the instance as suspended rather than stopped (not billing's suspension:
 * a top-up does not resume it). Either way the plugin records the new state itself, as it does for billing's
 * suspensions, so the host need not report it back; the user starting the instance again is a `started` (or
 * `resumed`) event as usual, and the budget does not stop it a second time that month.
 */
export interface InstanceProvisioner {
  create(request: ProvisionRequest, idempotencyKey?: string): Promise<void>;
  suspend(instanceId: string, idempotencyKey?: string): Promise<void>;
  unsuspend(instanceId: string, idempotencyKey?: string): Promise<void>;
  terminate(instanceId: string, idempotencyKey?: string): Promise<void>;
  stop?(instanceId: string, idempotencyKey?: string): Promise<void>;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

export interface BillingNotifier {
  /**
   * `kind` lets a host route or tag messages (e.g. "low-balance"). `idempotencyKey` is the outbox row's dedupe
   * key: a repeat after a crash carries the same key, and a host that drops a message whose key it has already
   * accepted never sends an email twice (see InstanceProvisioner).
   */
  deliver(userId: string, kind: string, message: RenderedMessage, idempotencyKey?: string): Promise<void>;
}

export interface DirectoryUser {
  id: string;
  email: string;
  displayName: string;
}

export interface UserDirectory {
  findUser(userId: string): Promise<DirectoryUser | null>;
}

export interface AuthenticatedUser {
  id: string;
  isAdmin: boolean;
}

/** Reads the authenticated user from a request; null means anonymous (401). */
export interface CurrentUser {
  fromRequest(request: unknown): AuthenticatedUser | null | Promise<AuthenticatedUser | null>;
}

/**
 * Takes money from a user for an auto top-up (optional: without it the auto top-up feature is hidden and its routes
 * answer 404). `amountInCurrency` is a decimal string in `currency`'s minor-unit precision (e.g. "10.00" USD).
 *
 * `idempotencyKey` names the attempt (`auto-topup:<user>:<n>`, at most 160 characters) and is the same on every
 * retry of it. A gateway must charge a key at most once: a repeat of a key it already charged answers the first
 * charge's reference without charging again (a process may die after the charge and before recording it). A call
 * that throws did not charge; its retry carries the same key and must charge.
 */
export interface PaymentGateway {
  charge(
    userId: string,
    amountInCurrency: string,
    currency: string,
    idempotencyKey: string,
  ): Promise<{ reference: string }>;
}
