import type { Money } from '../common/money';
import type { ViewerCurrency } from '../currencies/viewer-currency.service';
import type { CatalogLocation } from './catalog.service';
import type { PlanGroupEntity } from './plan.entity';
import type { PlanDetails } from './plan.service';
import { planShape } from './plan.dto';

export class CatalogPlanGroupResponseDto {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  sortOrder: number;
}

export class CatalogPlanResponseDto {
  id: number;
  groupId: number;
  name: string;
  slug: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  bandwidthGb: number;
  gpus: number;
  /** null when the plan has no hourly (or no monthly) price. */
  hourlyPrice: Money | null;
  monthlyPrice: Money | null;
  /** What an hour costs while stopped (the running rate unless set) and while suspended (0 unless set). */
  stoppedHourlyPrice: Money | null;
  suspendedHourlyPrice: Money;
  /** Enabled locations offering the plan, in their order. */
  locationIds: number[];
  sortOrder: number;
}

export class CatalogLocationResponseDto {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  sortOrder: number;
  /** Whether an enabled, online hypervisor there has room (for the plan asked about). */
  hasCapacity: boolean;
}

export function mapCatalogPlanGroup(group: PlanGroupEntity): CatalogPlanGroupResponseDto {
  return {
    id: group.id,
    name: group.name,
    slug: group.slug,
    description: group.description,
    sortOrder: group.sortOrder,
  };
}

export function mapCatalogPlan(plan: PlanDetails, viewer: ViewerCurrency): CatalogPlanResponseDto {
  const unitPrice = (micros: number | null) => (micros === null ? null : viewer.unitPrice(micros));
  return {
    ...planShape(plan),
    hourlyPrice: unitPrice(plan.hourlyPrice),
    // A month's price is what is paid, a total: the currency's decimals.
    monthlyPrice: plan.monthlyPrice === null ? null : viewer.money(plan.monthlyPrice),
    stoppedHourlyPrice: unitPrice(plan.stoppedHourlyPrice ?? plan.hourlyPrice),
    suspendedHourlyPrice: viewer.unitPrice(plan.suspendedHourlyPrice ?? 0),
    locationIds: plan.locationIds,
    sortOrder: plan.sortOrder,
  };
}

export function mapCatalogLocation(location: CatalogLocation): CatalogLocationResponseDto {
  return {
    id: location.id,
    name: location.name,
    slug: location.slug,
    description: location.description,
    sortOrder: location.sortOrder,
    hasCapacity: location.hasCapacity,
  };
}
