import type { Clock } from './common/clock';
import type {
  BillingNotifier,
  CurrentUser,
  HypervisorInventory,
  InstanceProvisioner,
  PaymentGateway,
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
  reports?: {
    /** Users per page of the admin's all-users CSV download (each page one read, then written out); default 500. */
    exportPageSize?: number;
  };
}

/**
 * Where the host publishes instance events for the plugin to consume (README, "Events over AMQP"). Needs the
 * optional peer amqplib; the consumer is off when the option is absent.
 */
export interface CloudBillingAmqpOptions {
  /** `amqp://user:password@host:5672/vhost` or `amqps://…`. */
  url: string;
  /** The queue the host publishes to; default "cloud-billing.events". Declared durable by the plugin. */
  queue?: string;
  /** Where refused messages go, with the reason in their headers; default "<queue>.dead-letter". */
  deadLetterQueue?: string;
  /** Messages the broker hands over ahead of their acks (they are still handled one at a time); default 10. */
  prefetch?: number;
}

export interface CloudBillingOptions extends CloudBillingTuning {
  hypervisorInventory: HypervisorInventory;
  instanceProvisioner: InstanceProvisioner;
  billingNotifier: BillingNotifier;
  userDirectory: UserDirectory;
  currentUser: CurrentUser;
  /** Charges users for auto top-ups; without it the auto top-up feature is hidden (its routes answer 404). */
  paymentGateway?: PaymentGateway;
  /** Defaults to the system clock; the demo host passes a switchable one. */
  clock?: Clock;
  /** Take instance events from a RabbitMQ queue as well as over HTTP; off when absent. */
  amqp?: CloudBillingAmqpOptions;
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
