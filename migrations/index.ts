import { SettingsAndCurrencies1763740000000 } from './1763740000000-settings-and-currencies';
import { Catalog1763740001000 } from './1763740001000-catalog';
import { AccountsAndLedger1763740002000 } from './1763740002000-accounts-and-ledger';
import { InstancesAndUsage1763740003000 } from './1763740003000-instances-and-usage';
import { Outbox1763740004000 } from './1763740004000-outbox';
import { ThresholdEpisodes1763740005000 } from './1763740005000-threshold-episodes';
import { Placement1763740006000 } from './1763740006000-placement';
import { DailyUsage1763740007000 } from './1763740007000-daily-usage';
import { ExactEdges1763740008000 } from './1763740008000-exact-edges';
import { ThresholdEvaluationDue1763740009000 } from './1763740009000-threshold-evaluation-due';
import { EnabledDefaultCurrency1763740010000 } from './1763740010000-enabled-default-currency';
import { Metering1763740011000 } from './1763740011000-metering';
import { MeteredUsage1763740012000 } from './1763740012000-metered-usage';
import { ResourceQuantities1763740013000 } from './1763740013000-resource-quantities';
import { MeteredSettlement1763740014000 } from './1763740014000-metered-settlement';
import { CreditGrants1763740015000 } from './1763740015000-credit-grants';
import { Budgets1763740016000 } from './1763740016000-budgets';
import { CreationCredit1763740017000 } from './1763740017000-creation-credit';
import { Statements1763740019000 } from './1763740019000-statements';
import { AutoTopUp1763740018000 } from './1763740018000-auto-top-up';
import { ClusterClaims1763740020000 } from './1763740020000-cluster-claims';

/** In order; a host adds these to its data source's `migrations`. */
export const CLOUD_BILLING_MIGRATIONS = [
  SettingsAndCurrencies1763740000000,
  Catalog1763740001000,
  AccountsAndLedger1763740002000,
  InstancesAndUsage1763740003000,
  Outbox1763740004000,
  ThresholdEpisodes1763740005000,
  Placement1763740006000,
  DailyUsage1763740007000,
  ExactEdges1763740008000,
  ThresholdEvaluationDue1763740009000,
  EnabledDefaultCurrency1763740010000,
  Metering1763740011000,
  MeteredUsage1763740012000,
  ResourceQuantities1763740013000,
  MeteredSettlement1763740014000,
  CreditGrants1763740015000,
  Budgets1763740016000,
  CreationCredit1763740017000,
  Statements1763740019000,
  AutoTopUp1763740018000,
  ClusterClaims1763740020000,
];
