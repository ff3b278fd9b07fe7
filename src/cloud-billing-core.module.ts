import { DynamicModule, FactoryProvider, Module } from '@nestjs/common';
import {
  AMQP_OPTIONS,
  BILLING_NOTIFIER,
  CLOCK,
  CURRENT_USER,
  HYPERVISOR_INVENTORY,
  INSTANCE_PROVISIONER,
  PAYMENT_GATEWAY,
  TUNING,
  USER_DIRECTORY,
} from './cloud-billing.constants';
import type { CloudBillingOptions } from './cloud-billing.options';
import { SystemClock } from './common/clock';
import { DomainEvents } from './common/domain-events';
import { UnitOfWork } from './common/unit-of-work';

function fromOptions(
  optionsToken: string | symbol,
  token: symbol,
  pick: (options: CloudBillingOptions) => unknown,
): FactoryProvider {
  return { provide: token, useFactory: pick, inject: [optionsToken] };
}

/**
 * What every feature module may inject without importing anything: the ports the host passed in (each under its
 * own token, so a service injects only what it uses), the clock, the event bus and the unit-of-work runner. Global, as @nestjs/typeorm's
 * core module is, because the feature modules are static classes and cannot be handed the options; the tokens
 * are the plugin's own symbols, so nothing of the host's is shadowed.
 */
@Module({})
export class CloudBillingCoreModule {
  /** `definition` is what ConfigurableModuleBuilder built for forRoot/forRootAsync: the options provider(s). */
  static fromOptions(definition: DynamicModule, optionsToken: string | symbol): DynamicModule {
    const ports: FactoryProvider[] = [
      fromOptions(optionsToken, HYPERVISOR_INVENTORY, (o) => o.hypervisorInventory),
      fromOptions(optionsToken, INSTANCE_PROVISIONER, (o) => o.instanceProvisioner),
      fromOptions(optionsToken, BILLING_NOTIFIER, (o) => o.billingNotifier),
      fromOptions(optionsToken, USER_DIRECTORY, (o) => o.userDirectory),
      fromOptions(optionsToken, CURRENT_USER, (o) => o.currentUser),
      fromOptions(optionsToken, PAYMENT_GATEWAY, (o) => o.paymentGateway ?? null),
      fromOptions(optionsToken, CLOCK, (o) => o.clock ?? new SystemClock()),
      fromOptions(optionsToken, TUNING, (o) => ({ billing: o.billing, placement: o.placement, reports: o.reports })),
      fromOptions(optionsToken, AMQP_OPTIONS, (o) => o.amqp ?? null),
    ];
    return {
      module: CloudBillingCoreModule,
      global: true,
      imports: definition.imports ?? [],
      providers: [...(definition.providers ?? []), ...ports, DomainEvents, UnitOfWork],
      exports: [optionsToken, ...ports.map((port) => port.provide), DomainEvents, UnitOfWork],
    };
  }
}
