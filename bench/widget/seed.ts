/**
 * What bench/widget.bench.ts measures against: a catalog, the measured user's account and instances and other
 * users' around it, registered through the real API, and a day of hours settled by the real settlement.
 */
import type { INestApplication } from '@nestjs/common';
import type { Agent } from 'node:http';
import { SettlementService } from '../../src/billing/settlement/settlement.service';
import { DemoClock } from '../../src/demo/demo-clock';
import { poster, seedCatalog } from '../report/seed';

export const USER = 'bench-user';
export const USER_INSTANCES = 12;
export const OTHER_USERS = 100;
export const OTHER_INSTANCES = 3;
export const START = '2026-01-10T00:00:00Z';
/** A day of hours settled: the month's rollups, the ledger and the live costs the widget reads all hold rows. */
export const SETTLED_UNTIL = '2026-01-11T00:00:00Z';

/** An IPv4 address on one plan: a resource rule, so the widget's rule lines and burn rate have a part to add. */
const IPV4_RULE = {
  key: 'ipv4',
  name: 'IPv4 address',
  unit: 'address',
  price: '3',
  periodSeconds: 30 * 86_400,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['terminated'],
  except: true,
};

/** Seeds through the API and settles; returns the ms the settlement took. */
export async function seedWidget(app: INestApplication, port: number, agent: Agent): Promise<number> {
  const post = poster(port, agent);
  const { locations, plans } = await seedCatalog(post);
  await post(`/admin/plans/${plans[1]}/rules`, IPV4_RULE);
  const register = async (userId: string, index: number, count: number) => {
    await post(`/admin/accounts/${userId}/credits`, { amount: '10000', reference: `bench-${userId}` });
    for (let i = 0; i < count; i++) {
      await post('/host/instances', {
        id: `${userId}-vm-${i}`,
        userId,
        name: `web-${i}`,
        planId: plans[(index + i) % plans.length],
        locationId: locations[i % 2].id,
        at: START,
      });
    }
  };
  await register(USER, 0, USER_INSTANCES);
  for (let u = 0; u < OTHER_USERS; u++) await register(`other-${u}`, u, OTHER_INSTANCES);
  const started = performance.now();
  await app.get(SettlementService).settleDue(new Date(SETTLED_UNTIL));
  const settleMs = performance.now() - started;
  app.get(DemoClock).set(new Date(new Date(SETTLED_UNTIL).getTime() + 20 * 60_000));
  return settleMs;
}
