import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { MeteredUsageBillingService } from '../../metering/metered-usage-billing.service';
import { Isolation, UnitOfWork } from '../../common/unit-of-work';
import { InstanceBillingService } from '../../instances/instance-billing.service';
import { buildBillingProof } from './billing-proof';
import type { BillingProofResponseDto } from './billing-proof.dto';
import { ProofRepository } from './proof.repository';

/** GET /admin/instances/:id/billing-proof: one instance's segments and settled hours, and whether they add up. */
@Injectable()
export class BillingProofService {
  constructor(
    private readonly repository: ProofRepository,
    private readonly instances: InstanceBillingService,
    private readonly unitOfWork: UnitOfWork,
    private readonly usageBilling: MeteredUsageBillingService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  proof(instanceId: string): Promise<BillingProofResponseDto> {
    return this.unitOfWork.run(
      async (tx) => {
        const instance = await this.instances.find(tx, instanceId);
        if (!instance) throw new NotFoundException(`instance ${instanceId} does not exist`);
        const segments = await this.instances.segmentsOf(tx, [instanceId]);
        const rows = await this.repository.usageOf(tx, instanceId);
        const metered = {
          ruleRows: await this.repository.ruleUsageOf(tx, instanceId),
          reports: await this.usageBilling.reportsOf(tx, instanceId),
        };
        return buildBillingProof(instance, segments, rows, this.clock.now().getTime(), metered);
      },
      { isolation: Isolation.Snapshot },
    );
  }
}
