import { DEFAULT_ROUTE_PREFIX } from '../cloud-billing.constants';
import type { CloudBillingAmqpOptions } from '../cloud-billing.options';

/** The demo host's configuration, injectable in the demo's own providers. */
export const DEMO_CONFIG = Symbol('DEMO_CONFIG');

export interface DemoConfig {
  databaseUrl?: string;
  admins: string[];
  seed: boolean;
  manualClock: boolean;
  /** Where a manual clock starts; default: now. */
  clockStart?: Date;
  port: number;
  /** Signs the pages' CSRF tokens; random at each start when not given. */
  csrfSecret?: string;
  /** Where the plugin is mounted (its `routePrefix`); default "cloud-billing". */
  routePrefix?: string;
  /** The plugin's AMQP consumer (DEMO_AMQP_URL sets the URL; tests set their own queues); off when absent. */
  amqp?: CloudBillingAmqpOptions;
  /** Whether the host offers its (fake) payment gateway, and with it auto top-up; on unless DEMO_PAYMENTS=0. */
  paymentGateway?: boolean;
}

/** The plugin's routes as seen from a browser, e.g. "/cloud-billing": what the pages link, post and fetch to. */
export function pluginBasePath(config: Pick<DemoConfig, 'routePrefix'>): string {
  const trimmed = (config.routePrefix ?? DEFAULT_ROUTE_PREFIX).replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

export function readDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    admins: (env.DEMO_ADMINS ?? 'admin')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    seed: env.DEMO_SEED !== '0',
    manualClock: env.DEMO_CLOCK === 'manual',
    port: Number(env.PORT ?? 3000),
    csrfSecret: env.DEMO_CSRF_SECRET || undefined,
    routePrefix: env.DEMO_ROUTE_PREFIX || undefined,
    amqp: env.DEMO_AMQP_URL ? { url: env.DEMO_AMQP_URL } : undefined,
    paymentGateway: env.DEMO_PAYMENTS !== '0',
  };
}
