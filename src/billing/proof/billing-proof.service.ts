import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { buildBillingProof } from './billing-proof';
import type { BillingProofResponseDto } from './billing-proof.dto';
import { ProofRepository } from './proof.repository';

/** GET /admin/instances/:id/billing-proof: one instance's segments and settled hours, and whether they add up. */
@Injectable()
export class BillingProofService {
  constructor(
    private readonly repository: ProofRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  proof(instanceId: string): Promise<BillingProofResponseDto> {
    return this.repository.snapshot(async (manager) => {
      const instance = await this.repository.findInstance(manager, instanceId);
      if (!instance) throw new NotFoundException(`instance ${instanceId} does not exist`);
      const segments = await this.repository.segmentsOf(manager, [instanceId]);
      const rows = await this.repository.usageOf(manager, instanceId);
      return buildBillingProof(instance, segments, rows, this.clock.now().getTime());
    });
  }
}
