import type { Clock } from './common/clock';
import type {
  BillingNotifier,
  CurrentUser,
  HypervisorInventory,
  InstanceProvisioner,
  UserDirectory,
} from './host/ports';

export interface CloudBillingOptions {
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
