import { HostEventsController } from './rerating/host-events.controller';
import { LateEventService } from './rerating/late-event.service';
import { OUTBOX_PROVIDERS } from './outbox/outbox.providers';
import { PROOF_CONTROLLERS, PROOF_PROVIDERS } from './proof/proof.providers';
import { BillingCron } from './run/billing.cron';
import { BillingRunController } from './run/billing-run.controller';
import { BillingRunService } from './run/billing-run.service';
import { THRESHOLD_PROVIDERS } from './thresholds/threshold.providers';
import { SettlementRepository } from './settlement/settlement.repository';
import { SettlementService } from './settlement/settlement.service';

export const BILLING_CONTROLLERS = [BillingRunController, HostEventsController, ...PROOF_CONTROLLERS];
export const BILLING_PROVIDERS = [
  ...OUTBOX_PROVIDERS,
  SettlementRepository,
  SettlementService,
  ...THRESHOLD_PROVIDERS,
  BillingRunService,
  BillingCron,
  LateEventService,
  ...PROOF_PROVIDERS,
];
export const BILLING_EXPORTS = [SettlementService, BillingRunService];
