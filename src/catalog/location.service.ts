import { ConflictException, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { isUniqueViolation } from '../common/database';
import { definedFields } from '../common/defined';
import { providedAbove } from '../common/provided-above';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { newCatalogEntry } from './catalog-entry.dto';
import { CatalogUsage } from './catalog-usage';
import {
  duplicateHypervisors,
  hypervisorsTaken,
  NAMED_DEPENDENTS,
  notFound,
  slugTaken,
  unknownHypervisors,
  usedByInstances,
  withUniqueSlug,
} from './catalog.errors';
import { HypervisorRepository } from './hypervisor.repository';
import { HypervisorService } from './hypervisor.service';
import type { HypervisorView } from './hypervisor-view';
import type { LocationCreateDto, LocationUpdateDto } from './location.dto';
import type { LocationEntity } from './location.entity';
import { LocationRepository } from './location.repository';

/** A location with its member hypervisors in round-robin order. */
export type LocationDetails = LocationEntity & { hypervisors: HypervisorView[] };

function withMembers(location: LocationEntity, fleet: HypervisorView[]): LocationDetails {
  const members = fleet.filter((view) => view.locationId === location.id).sort((a, b) => a.position - b.position);
  return { ...location, hypervisors: members };
}

@Injectable()
export class LocationService {
  constructor(
    private readonly repository: LocationRepository,
    private readonly hypervisorRows: HypervisorRepository,
    private readonly hypervisors: HypervisorService,
    private readonly moduleRef: ModuleRef,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async list(): Promise<LocationDetails[]> {
    const [locations, fleet] = await Promise.all([this.repository.list(), this.hypervisors.fleet()]);
    return locations.map((location) => withMembers(location, fleet));
  }

  async get(id: number): Promise<LocationDetails> {
    const location = await this.require(id);
    return withMembers(location, await this.hypervisors.fleet());
  }

  async create(dto: LocationCreateDto): Promise<LocationDetails> {
    if (await this.repository.findBySlug(dto.slug)) throw slugTaken('location', dto.slug);
    const row = { ...newCatalogEntry(dto), lastHypervisorId: null };
    const location = await withUniqueSlug('location', dto.slug, () =>
      this.unitOfWork.run((tx) => this.repository.insert(tx, row), { isolation: Isolation.LockedWrites }),
    );
    return { ...location, hypervisors: [] };
  }

  async update(id: number, dto: LocationUpdateDto): Promise<LocationDetails> {
    const location = await this.require(id);
    const patch = definedFields(dto);
    if (patch.slug !== undefined && patch.slug !== location.slug && (await this.repository.findBySlug(patch.slug))) {
      throw slugTaken('location', patch.slug);
    }
    await withUniqueSlug('location', patch.slug ?? location.slug, () =>
      this.unitOfWork.run((tx) => this.repository.save(tx, Object.assign(location, patch)), {
        isolation: Isolation.LockedWrites,
      }),
    );
    return this.get(id);
  }

  /**
   * Only a location no instance was ever placed in, since reports name the location of past usage; one in use
   * is retired with `enabled: false`. Its hypervisors become free for another location; plans stop being offered there.
   */
  async remove(id: number): Promise<void> {
    await this.require(id);
    const used = await providedAbove(this.moduleRef, CatalogUsage).instancesInLocation(id, NAMED_DEPENDENTS);
    if (used.count > 0) throw usedByInstances('location', id, used);
    await this.unitOfWork.run((tx) => this.repository.remove(tx, id), { isolation: Isolation.LockedWrites });
  }

  /**
   * Replaces the location's members with `hypervisorIds`, in that round-robin
   * order. Hypervisors left out leave the location and keep their maintenance flag.
   */
  async setHypervisors(id: number, hypervisorIds: string[]): Promise<LocationDetails> {
    await this.require(id);
    const duplicates = hypervisorIds.filter((hypervisorId, index) => hypervisorIds.indexOf(hypervisorId) !== index);
    if (duplicates.length > 0) throw duplicateHypervisors([...new Set(duplicates)]);
    const reported = await this.hypervisors.reportedIds();
    const unknown = hypervisorIds.filter((hypervisorId) => !reported.has(hypervisorId));
    if (unknown.length > 0) throw unknownHypervisors(unknown);

    try {
      await this.unitOfWork.run(
        async (tx) => {
          // Locked first so two requests for this location, or a delete, take turns.
          if (!(await this.repository.lock(tx, id))) throw notFound('location', id);
          const rows = await this.hypervisorRows.lockMany(tx, hypervisorIds);
          const elsewhere = rows.filter((row) => row.locationId !== null && row.locationId !== id);
          if (elsewhere.length > 0) {
            const taken = await Promise.all(
              elsewhere.map(async (row) => {
                const other = await this.repository.find(row.locationId as number, tx);
                return { hypervisorId: row.hypervisorId, location: `location "${other?.name}" (id ${row.locationId})` };
              }),
            );
            throw hypervisorsTaken(taken);
          }
          await this.hypervisorRows.releaseAll(tx, id);
          const existing = new Set(rows.map((row) => row.hypervisorId));
          for (const [position, hypervisorId] of hypervisorIds.entries()) {
            if (existing.has(hypervisorId)) await this.hypervisorRows.assign(tx, hypervisorId, id, position);
            else await this.hypervisorRows.insert(tx, { hypervisorId, locationId: id, position, enabled: true });
          }
        },
        { isolation: Isolation.LockedWrites },
      );
    } catch (error) {
      // Another request created the row for one of these hypervisors since we looked.
      if (isUniqueViolation(error)) {
        throw new ConflictException('one of these hypervisors was just assigned elsewhere; reload and try again');
      }
      throw error;
    }
    return this.get(id);
  }

  private async require(id: number): Promise<LocationEntity> {
    const location = await this.repository.find(id);
    if (!location) throw notFound('location', id);
    return location;
  }
}
