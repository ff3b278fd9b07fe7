import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HypervisorRepository } from './hypervisor.repository';
import type { HypervisorEntity, LocationEntity } from './location.entity';
import { LocationRepository } from './location.repository';

/**
 * The catalog rows placement reads and locks in its own transaction (whose isolation it chooses): a location's row
 * lock, which makes placements there and membership changes take turns, its members in round-robin order and the
 * round-robin cursor, and a hypervisor's row lock, which makes resizes on it take turns.
 */
@Injectable()
export class LocationMembersService {
  constructor(
    private readonly locations: LocationRepository,
    private readonly hypervisors: HypervisorRepository,
  ) {}

  lockLocation(locationId: number, manager: EntityManager): Promise<LocationEntity | null> {
    return this.locations.lock(locationId, manager);
  }

  members(locationId: number, manager: EntityManager): Promise<HypervisorEntity[]> {
    return this.hypervisors.members(locationId, manager);
  }

  moveCursor(locationId: number, hypervisorId: string, manager: EntityManager): Promise<void> {
    return this.locations.moveCursor(locationId, hypervisorId, manager);
  }

  findHypervisor(hypervisorId: string, manager: EntityManager): Promise<HypervisorEntity | null> {
    return this.hypervisors.findIn(hypervisorId, manager);
  }

  lockHypervisor(hypervisorId: string, manager: EntityManager): Promise<HypervisorEntity | null> {
    return this.hypervisors.lock(hypervisorId, manager);
  }
}
