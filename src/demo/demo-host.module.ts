import { DynamicModule, Module, UseGuards } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CloudBillingModule } from '../cloud-billing.module';
import type { CloudBillingTuning } from '../cloud-billing.options';
import { dataSourceOptionsFromUrl } from '../common/data-source-options';
import { RequestShapeGuard } from '../common/request-shape.guard';
import { DemoClockListeners } from './clock-listeners';
import { DemoAmqpController } from './demo-amqp.controller';
import { DemoAmqpPublisher } from './demo-amqp-publisher';
import { DemoBillingClock } from './demo-billing-clock';
import { DEMO_CONFIG, DemoConfig } from './demo.config';
import { DemoClock } from './demo-clock';
import { DemoClockController } from './demo-clock.controller';
import { DemoFleetController } from './demo-fleet.controller';
import { DemoOutboxController } from './demo-outbox.controller';
import { DemoPaymentGateway } from './demo-payment-gateway';
import { DemoPaymentsController } from './demo-payments.controller';
import { DemoTrafficController } from './demo-traffic.controller';
import {
  DemoCurrentUser,
  DemoHypervisorInventory,
  DemoNotifier,
  DemoProvisioner,
  DemoUserDirectory,
} from './demo-ports';
import { DEMO_HYPERVISORS } from './demo-seed';

// The demo's JSON routes take the same care with bodies and queries as the plugin's (the pages parse forms).
for (const controller of [
  DemoClockController,
  DemoFleetController,
  DemoAmqpController,
  DemoTrafficController,
  DemoPaymentsController,
]) {
  UseGuards(RequestShapeGuard)(controller);
}

/** Holds the simulated host so both the plugin (through its options) and the /demo routes reach the same objects. */
@Module({})
export class DemoPortsModule {
  static forRoot(config: DemoConfig): DynamicModule {
    const clock = new DemoClock(config.manualClock, config.clockStart);
    return {
      module: DemoPortsModule,
      global: true,
      providers: [
        { provide: DEMO_CONFIG, useValue: config },
        { provide: DemoClock, useValue: clock },
        {
          provide: DemoHypervisorInventory,
          // Filled before anything asks for it: the fleet is in memory, so it is re-created at every start.
          useFactory: () => {
            const inventory = new DemoHypervisorInventory();
            if (config.seed) for (const hypervisor of DEMO_HYPERVISORS) inventory.upsert(hypervisor);
            return inventory;
          },
        },
        { provide: DemoProvisioner, useFactory: () => Object.assign(new DemoProvisioner(), { clock }) },
        { provide: DemoNotifier, useFactory: () => Object.assign(new DemoNotifier(), { clock }) },
        { provide: DemoPaymentGateway, useFactory: () => Object.assign(new DemoPaymentGateway(), { clock }) },
        DemoUserDirectory,
        { provide: DemoCurrentUser, useValue: new DemoCurrentUser(new Set(config.admins)) },
        DemoClockListeners,
      ],
      exports: [
        DEMO_CONFIG,
        DemoClock,
        DemoHypervisorInventory,
        DemoProvisioner,
        DemoNotifier,
        DemoPaymentGateway,
        DemoUserDirectory,
        DemoCurrentUser,
        DemoClockListeners,
      ],
    };
  }
}

/**
 * The simulated host with the plugin mounted in it, and no pages: its database, its ports, the plugin under the
 * configured prefix, and the /demo routes that drive the simulation (clock, fleet, provisioner, mailbox, traffic). The demo
 * app adds its pages on top; the plugin's end-to-end tests use it as it is.
 */
@Module({})
export class DemoHostModule {
  static forRoot(config: DemoConfig, tuning: CloudBillingTuning = {}): DynamicModule {
    return {
      module: DemoHostModule,
      imports: [
        DemoPortsModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptionsFromUrl(config.databaseUrl),
          migrationsRun: true,
          retryAttempts: 2,
        }),
        ScheduleModule.forRoot(),
        CloudBillingModule.forRootAsync({
          routePrefix: config.routePrefix,
          useFactory: (
            inventory: DemoHypervisorInventory,
            provisioner: DemoProvisioner,
            notifier: DemoNotifier,
            directory: DemoUserDirectory,
            currentUser: DemoCurrentUser,
            clock: DemoClock,
            payments: DemoPaymentGateway,
          ) => ({
            hypervisorInventory: inventory,
            instanceProvisioner: provisioner,
            billingNotifier: notifier,
            userDirectory: directory,
            currentUser,
            clock,
            // Off only when asked (DEMO_PAYMENTS=0, or a test showing the feature hidden without a gateway).
            paymentGateway: config.paymentGateway === false ? undefined : payments,
            amqp: config.amqp,
            ...tuning,
          }),
          inject: [
            DemoHypervisorInventory,
            DemoProvisioner,
            DemoNotifier,
            DemoUserDirectory,
            DemoCurrentUser,
            DemoClock,
            DemoPaymentGateway,
          ],
        }),
      ],
      // Outside the plugin's route prefix: these are the host's routes, not the plugin's.
      controllers: [
        DemoClockController,
        DemoFleetController,
        DemoOutboxController,
        DemoAmqpController,
        DemoTrafficController,
        DemoPaymentsController,
      ],
      providers: [DemoBillingClock, DemoAmqpPublisher],
      // The demo's pages and seed call the plugin's public services.
      exports: [CloudBillingModule],
    };
  }
}
