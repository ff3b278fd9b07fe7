import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CloudBillingModule } from '../cloud-billing.module';
import { dataSourceOptionsFromUrl } from '../common/data-source-options';
import type { DemoConfig } from './demo.config';
import { DemoClock } from './demo-clock';
import {
  DemoCurrentUser,
  DemoHypervisorInventory,
  DemoNotifier,
  DemoProvisioner,
  DemoUserDirectory,
} from './demo-ports';

const DEMO_CONFIG = Symbol('DEMO_CONFIG');

/** Holds the simulated host so both the plugin (through its options) and the /demo routes reach the same objects. */
@Module({})
export class DemoHostModule {
  static forRoot(config: DemoConfig): DynamicModule {
    const clock = new DemoClock(config.manualClock, config.clockStart);
    return {
      module: DemoHostModule,
      global: true,
      providers: [
        { provide: DEMO_CONFIG, useValue: config },
        { provide: DemoClock, useValue: clock },
        DemoHypervisorInventory,
        { provide: DemoProvisioner, useFactory: () => Object.assign(new DemoProvisioner(), { clock }) },
        { provide: DemoNotifier, useFactory: () => Object.assign(new DemoNotifier(), { clock }) },
        DemoUserDirectory,
        { provide: DemoCurrentUser, useValue: new DemoCurrentUser(new Set(config.admins)) },
      ],
      exports: [
        DEMO_CONFIG,
        DemoClock,
        DemoHypervisorInventory,
        DemoProvisioner,
        DemoNotifier,
        DemoUserDirectory,
        DemoCurrentUser,
      ],
    };
  }
}

/** The demo host: what `npm start` runs and what the end-to-end tests drive. */
@Module({})
export class DemoAppModule {
  static forRoot(config: DemoConfig): DynamicModule {
    return {
      module: DemoAppModule,
      imports: [
        DemoHostModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptionsFromUrl(config.databaseUrl),
          migrationsRun: true,
          retryAttempts: 2,
        }),
        ScheduleModule.forRoot(),
        CloudBillingModule.forRootAsync({
          useFactory: (
            inventory: DemoHypervisorInventory,
            provisioner: DemoProvisioner,
            notifier: DemoNotifier,
            directory: DemoUserDirectory,
            currentUser: DemoCurrentUser,
            clock: DemoClock,
          ) => ({
            hypervisorInventory: inventory,
            instanceProvisioner: provisioner,
            billingNotifier: notifier,
            userDirectory: directory,
            currentUser,
            clock,
          }),
          inject: [
            DemoHypervisorInventory,
            DemoProvisioner,
            DemoNotifier,
            DemoUserDirectory,
            DemoCurrentUser,
            DemoClock,
          ],
        }),
      ],
    };
  }
}
