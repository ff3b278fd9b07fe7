import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../../common/auth';
import { BillingAuditService } from './billing-audit.service';
import type { AuditResponseDto, BillingProofResponseDto } from './billing-proof.dto';
import { BillingProofService } from './billing-proof.service';
import { InstanceIdPipe } from './instance-id.pipe';

@ApiTags('admin: billing')
@Controller('admin')
@UseGuards(AdminGuard)
export class BillingProofController {
  constructor(
    private readonly proofs: BillingProofService,
    private readonly audits: BillingAuditService,
  ) {}

  /** An instance's segments and settled hours, with a verdict on whether they cover its life exactly once. */
  @Get('instances/:id/billing-proof')
  proof(@Param('id', InstanceIdPipe) id: string): Promise<BillingProofResponseDto> {
    return this.proofs.proof(id);
  }

  /** Every account's balance against its ledger and every instance's settled hours, with any breach. */
  @Get('audit')
  audit(): Promise<AuditResponseDto> {
    return this.audits.audit();
  }
}
