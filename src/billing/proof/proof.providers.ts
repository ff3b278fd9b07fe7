import { BillingAuditService } from './billing-audit.service';
import { BillingProofController } from './billing-proof.controller';
import { BillingProofService } from './billing-proof.service';
import { ProofRepository } from './proof.repository';

export const PROOF_CONTROLLERS = [BillingProofController];
export const PROOF_PROVIDERS = [ProofRepository, BillingProofService, BillingAuditService];
