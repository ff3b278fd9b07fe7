import type { LocationService } from '../catalog/location.service';
import type { PlanGroupService } from '../catalog/plan-group.service';
import type { PlanService } from '../catalog/plan.service';

export interface CatalogSeedServices {
  locations: LocationService;
  planGroups: PlanGroupService;
  plans: PlanService;
}

const LOCATIONS = [
  {
    slug: 'amsterdam',
    name: 'Amsterdam',
    description: 'EU-West, three hypervisors',
    hypervisors: ['hv-ams-1', 'hv-ams-2', 'hv-ams-3'],
  },
  {
    slug: 'new-york',
    name: 'New York',
    description: 'US-East, mixed sizes',
    hypervisors: ['hv-nyc-1', 'hv-nyc-2', 'hv-nyc-3'],
  },
];

type PlanSeed = {
  slug: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  gpus?: number;
  hourlyPrice?: string;
  monthlyPrice?: string;
  where: string[];
};

/** A small catalog that shows every pricing rule: hourly, hourly capped by a month, and monthly only. */
const GROUPS: { slug: string; name: string; description: string; plans: PlanSeed[] }[] = [
  {
    slug: 'high-compute',
    name: 'High Compute',
    description: 'Dedicated vCPUs for CPU-bound work',
    plans: [
      {
        slug: 'c2-small',
        name: 'C2 Small',
        vcpus: 2,
        ramMb: 4096,
        diskGb: 50,
        hourlyPrice: '1.5',
        monthlyPrice: '900',
        where: ['amsterdam', 'new-york'],
      },
      {
        slug: 'c8-large',
        name: 'C8 Large',
        vcpus: 8,
        ramMb: 16384,
        diskGb: 160,
        hourlyPrice: '6',
        monthlyPrice: '3600',
        where: ['amsterdam', 'new-york'],
      },
    ],
  },
  {
    slug: 'high-storage',
    name: 'High Storage',
    description: 'Large disks for data sets and backups',
    plans: [
      { slug: 's2-1tb', name: 'S2 1 TB', vcpus: 2, ramMb: 4096, diskGb: 400, hourlyPrice: '2.5', where: ['new-york'] },
    ],
  },
  {
    slug: 'gpu',
    name: 'GPU',
    description: 'For training and inference',
    plans: [
      {
        slug: 'g1-a100',
        name: 'G1 A100',
        vcpus: 16,
        ramMb: 65536,
        diskGb: 500,
        gpus: 1,
        hourlyPrice: '120',
        where: ['new-york'],
      },
    ],
  },
  {
    slug: 'budget',
    name: 'Budget',
    description: 'Small instances at a fixed monthly price',
    plans: [
      {
        slug: 'b1-mini',
        name: 'B1 Mini',
        vcpus: 1,
        ramMb: 1024,
        diskGb: 20,
        monthlyPrice: '300',
        where: ['amsterdam'],
      },
    ],
  },
];

/** The slugs of the plans the seed creates, for the steps that add to them. */
export const DEMO_PLAN_SLUGS: readonly string[] = GROUPS.flatMap((group) => group.plans.map((plan) => plan.slug));

export async function seedCatalog({ locations, planGroups, plans }: CatalogSeedServices): Promise<void> {
  const locationIds = new Map<string, number>();
  for (const [sortOrder, location] of LOCATIONS.entries()) {
    const created = await locations.create({
      name: location.name,
      slug: location.slug,
      description: location.description,
      enabled: true,
      sortOrder,
    });
    await locations.setHypervisors(created.id, location.hypervisors);
    locationIds.set(location.slug, created.id);
  }
  for (const [groupOrder, group] of GROUPS.entries()) {
    const created = await planGroups.create({
      name: group.name,
      slug: group.slug,
      description: group.description,
      enabled: true,
      sortOrder: groupOrder,
    });
    for (const [sortOrder, { where, ...plan }] of group.plans.entries()) {
      await plans.create({
        ...plan,
        groupId: created.id,
        locationIds: where.map((slug) => locationIds.get(slug) as number),
        enabled: true,
        sortOrder,
      });
    }
  }
}
