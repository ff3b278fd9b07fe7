import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/unit-of-work';
import { HypervisorRepository } from './hypervisor.repository';
import type { HypervisorEntity, LocationEntity } from './location.entity';
import { LocationRepository } from './location.repository';

/**
 * The catalog rows placement reads and locks in its own unit of work (whose isolation it chooses): a location's row
 * lock, which makes placements there and membership changes take turns, its members in round-robin order and the
 * round-robin cursor, and a hypervisor's row lock, which makes resizes on it take turns.
 */
@Injectable()
export class LocationMembersService {
  constructor(
    private readonly locations: LocationRepository,
    private readonly hypervisors: HypervisorRepository,
  ) {}

  lockLocation(tx: Tx, locationId: number): Promise<LocationEntity | null> {
    return this.locations.lock(tx, locationId);
  }

  members(tx: Tx, locationId: number): Promise<HypervisorEntity[]> {
    return this.hypervisors.members(tx, locationId);
  }

  moveCursor(tx: Tx, locationId: number, hypervisorId: string): Promise<void> {
    return this.locations.moveCursor(tx, locationId, hypervisorId);
  }

  findHypervisor(tx: Tx, hypervisorId: string): Promise<HypervisorEntity | null> {
    return this.hypervisors.find(hypervisorId, tx);
  }

  lockHypervisor(tx: Tx, hypervisorId: string): Promise<HypervisorEntity | null> {
    return this.hypervisors.lock(tx, hypervisorId);
  }
}
