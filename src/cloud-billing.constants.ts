export const HYPERVISOR_INVENTORY = Symbol('CLOUD_BILLING_HYPERVISOR_INVENTORY');
export const INSTANCE_PROVISIONER = Symbol('CLOUD_BILLING_INSTANCE_PROVISIONER');
export const BILLING_NOTIFIER = Symbol('CLOUD_BILLING_BILLING_NOTIFIER');
export const USER_DIRECTORY = Symbol('CLOUD_BILLING_USER_DIRECTORY');
export const CURRENT_USER = Symbol('CLOUD_BILLING_CURRENT_USER');
/** The host's PaymentGateway, or null when it gave none (auto top-up is then hidden). */
export const PAYMENT_GATEWAY = Symbol('CLOUD_BILLING_PAYMENT_GATEWAY');
export const CLOCK = Symbol('CLOUD_BILLING_CLOCK');
/** The host's tuning knobs (CloudBillingTuning), under a token of its own so services need not import the module. */
export const TUNING = Symbol('CLOUD_BILLING_TUNING');

/** The host's `amqp` option (CloudBillingAmqpOptions), or null when it gave none. */
export const AMQP_OPTIONS = Symbol('CLOUD_BILLING_AMQP_OPTIONS');

export const DEFAULT_ROUTE_PREFIX = 'cloud-billing';
