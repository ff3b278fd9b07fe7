import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { HypervisorInfo } from '../host/ports';
import { MeteredCounterService } from '../metering/metered-counter.service';
import { ResourceRuleService } from '../metering/resource-rule.service';
import { CurrencyService, LocationService, PlanGroupService, PlanService } from '../index';
import { CatalogSeedServices, seedCatalog } from './demo-catalog-seed';
import { DEMO_CONFIG, DemoConfig } from './demo.config';
import { DemoClock } from './demo-clock';
import { DemoSeedLog } from './demo-seed-log';
import { MeteringSeedServices, seedMetering } from './demo-metering-seed';

/**
 * The simulated fleet. The inventory lives in memory, so it is re-created at
 * every start (see DemoHostModule), unlike the database seed below.
 */
export const DEMO_HYPERVISORS: readonly HypervisorInfo[] = [
  { id: 'hv-ams-1', name: 'Amsterdam 1', vcpus: 32, ramMb: 65536, diskGb: 1000, online: true },
  { id: 'hv-ams-2', name: 'Amsterdam 2', vcpus: 32, ramMb: 65536, diskGb: 1000, online: true },
  { id: 'hv-ams-3', name: 'Amsterdam 3', vcpus: 32, ramMb: 65536, diskGb: 1000, online: true },
  { id: 'hv-nyc-1', name: 'New York 1', vcpus: 64, ramMb: 262144, diskGb: 4000, online: true },
  { id: 'hv-nyc-2', name: 'New York 2', vcpus: 16, ramMb: 32768, diskGb: 500, online: true },
  // Offline, so the demo shows placement skipping it.
  { id: 'hv-nyc-3', name: 'New York 3', vcpus: 16, ramMb: 32768, diskGb: 500, online: false },
];

type CurrencyInput = Parameters<CurrencyService['create']>[0];

/** USD (the default, 1 credit = 0.01 USD) comes from the migration; these are the demo's extra currencies. */
export const DEMO_CURRENCIES: readonly CurrencyInput[] = [
  { code: 'EUR', name: 'Euro', valuePerCredit: '0.0092', prefix: '€', suffix: '', decimals: 2, enabled: true },
  {
    code: 'GBP',
    name: 'Pound Sterling',
    valuePerCredit: '0.0079',
    prefix: '£',
    suffix: '',
    decimals: 2,
    enabled: true,
  },
];

/** The plugin's public services a seed step may use. */
export interface DemoSeedServices extends CatalogSeedServices, MeteringSeedServices {
  currencies: CurrencyService;
}

export interface DemoSeedStep {
  /** Recorded once done: a restart skips it, and a step added later still runs on an older database. */
  name: string;
  run(services: DemoSeedServices): Promise<void>;
}

async function seedCurrencies({ currencies }: DemoSeedServices): Promise<void> {
  const existing = new Set((await currencies.list()).map((currency) => currency.code));
  // An admin may have created one by hand on a database first started with DEMO_SEED=0.
  for (const currency of DEMO_CURRENCIES) if (!existing.has(currency.code)) await currencies.create(currency);
}

export const DEMO_SEED_STEPS: readonly DemoSeedStep[] = [
  { name: 'currencies', run: seedCurrencies },
  { name: 'catalog', run: seedCatalog },
  { name: 'metering', run: seedMetering },
];

/** Seeds a database once, at start-up, when DEMO_SEED is not 0. */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    @Inject(DEMO_CONFIG) private readonly config: DemoConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: DemoClock,
    private readonly currencies: CurrencyService,
    private readonly locations: LocationService,
    private readonly planGroups: PlanGroupService,
    private readonly plans: PlanService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seed) return;
    const ran = await runSeedSteps(
      new DemoSeedLog(this.dataSource),
      DEMO_SEED_STEPS,
      {
        currencies: this.currencies,
        locations: this.locations,
        planGroups: this.planGroups,
        plans: this.plans,
        // The plugin keeps its admin services for rules and counters to its own routes; a host may still reach them.
        rules: this.moduleRef.get(ResourceRuleService, { strict: false }),
        counters: this.moduleRef.get(MeteredCounterService, { strict: false }),
      },
      this.clock.now(),
    );
    if (ran.length) this.logger.log(`seeded: ${ran.join(', ')}`);
  }
}

/** Runs the steps this database has not had yet; returns their names. */
export async function runSeedSteps(
  log: DemoSeedLog,
  steps: readonly DemoSeedStep[],
  services: DemoSeedServices,
  at: Date,
): Promise<string[]> {
  await log.ensureTable();
  const ran: string[] = [];
  for (const step of steps) {
    if (!(await log.claim(step.name, at))) continue;
    try {
      await step.run(services);
    } catch (error) {
      await log.release(step.name);
      throw error;
    }
    ran.push(step.name);
  }
  return ran;
}
