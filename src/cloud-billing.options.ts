import type { Clock } from './common/clock';
import type {
  BillingNotifier,
  CurrentUser,
  HypervisorInventory,
  InstanceProvisioner,
  UserDirectory,
} from './host/ports';

/** Knobs with defaults that suit a real panel; tests pass small values to reach edge cases quickly. */
export interface CloudBillingTuning {
  billing?: {
    /** Accounts settled per transaction; default 500. */
    settlementBatchSize?: number;
  };
  placement?: {
    /** How long the host may take to create an instance before the wizard gives up on it; default 30 s. */
    provisionTimeoutMs?: number;
  };
}

export interface CloudBillingOptions extends CloudBillingTuning {
  hypervisorInventory: HypervisorInventory;
  instanceProvisioner: InstanceProvisioner;
  billingNotifier: BillingNotifier;
  userDirectory: UserDirectory;
  currentUser: CurrentUser;
  /** Defaults to the system clock; the demo host passes a switchable one. */
  clock?: Clock;
}

/** Known when the module is declared, since routes are registered before any factory runs. */
export interface CloudBillingExtras {
  /** Path under which every plugin route is mounted; default "cloud-billing". */
  routePrefix?: string;
}

/** A tuning knob's value: the host's if it gave one (a positive integer, else the module refuses to start). */
export function tuningValue(name: string, given: number | undefined, fallback: number): number {
  if (given === undefined) return fallback;
  if (!Number.isSafeInteger(given) || given < 1) {
    throw new Error(`cloud-billing option ${name} must be a positive integer (got ${String(given)})`);
  }
  return given;
}
