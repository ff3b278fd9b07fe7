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

/** Calls may fail or time out; the module retries through its outbox. */
export interface InstanceProvisioner {
  create(request: ProvisionRequest): Promise<void>;
  suspend(instanceId: string): Promise<void>;
  unsuspend(instanceId: string): Promise<void>;
  terminate(instanceId: string): Promise<void>;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

export interface BillingNotifier {
  /** `kind` lets a host route or tag messages (e.g. "low-balance"). */
  deliver(userId: string, kind: string, message: RenderedMessage): Promise<void>;
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
