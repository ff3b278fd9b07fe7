/**
 * What bench/report.bench.ts measures against: the benchmark user's month, settled by the real settlement through
 * the real API, and other users' rollups written directly around it.
 */
import type { INestApplication } from '@nestjs/common';
import { Agent, request } from 'node:http';
import type { Connection } from 'mysql2/promise';
import { SettlementService } from '../../src/billing/settlement/settlement.service';
import { DemoClock } from '../../src/demo/demo-clock';
import { valuesClause } from '../billing/database';

export const USER = 'bench-user';
export const INSTANCES = 200;
export const RESIZED = 20;
export const OTHER_USERS = 1_000;
export const OTHER_MONTHS = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01'];
export const MONTH_START = '2026-01-01T00:00:00Z';
export const RESIZE_AT = '2026-01-15T00:00:00Z';
export const MONTH_END = '2026-02-01T00:00:00Z';

/** A request over a keep-alive connection; resolves with the status and the body. */
export function call(port: number, agent: Agent, method: string, path: string, body?: object, user = 'admin') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'x-user-id': user };
    const req = request({ port, agent, method, path: `/cloud-billing${path}`, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** The measured user's catalog, instances and settled month, through the real API and settlement; returns ms settling. */
export async function seedUser(app: INestApplication, port: number, agent: Agent): Promise<number> {
  const post = poster(port, agent);
  const { locations, plans } = await seedCatalog(post);
  await post(`/admin/accounts/${USER}/credits`, { amount: '1000000', reference: 'bench-topup' });
  for (let i = 0; i < INSTANCES; i++) {
    const n = String(i + 1).padStart(3, '0');
    await post('/host/instances', {
      id: `bench-vm-${n}`,
      userId: USER,
      name: `web-${n}`,
      planId: plans[i % plans.length],
      locationId: locations[i % 2].id,
      at: MONTH_START,
    });
  }
  // Half a month settled, then a resize on a few: those instances get a second row for the new plan.
  const settlement = app.get(SettlementService);
  const started = performance.now();
  await settlement.settleDue(new Date(RESIZE_AT));
  app.get(DemoClock).set(new Date(RESIZE_AT));
  for (let i = 0; i < RESIZED; i++) {
    const id = `bench-vm-${String(i + 1).padStart(3, '0')}`;
    await post(`/host/instances/${id}/events`, {
      type: 'resized',
      at: RESIZE_AT,
      planId: plans[(i + 1) % plans.length],
    });
  }
  await settlement.settleDue(new Date(MONTH_END));
  return performance.now() - started;
}

type Post = (path: string, body: object, user?: string) => Promise<{ id: number }>;

/** POSTs as `user` (the admin unless told) and answers the created row's id; any refusal stops the seed. */
export function poster(port: number, agent: Agent): Post {
  return async (path, body, user = 'admin') => {
    const response = await call(port, agent, 'POST', path, body, user);
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${response.body}`);
    return JSON.parse(response.body) as { id: number };
  };
}

/** Two locations and four plans (hourly prices from 0.1 to 2.25, one with a monthly cap), through the admin API. */
export async function seedCatalog(post: Post): Promise<{ locations: { id: number }[]; plans: number[] }> {
  const locations = [await post('/admin/locations', { name: 'Amsterdam', slug: 'ams' })];
  locations.push(await post('/admin/locations', { name: 'New York', slug: 'nyc' }));
  const group = await post('/admin/plan-groups', { name: 'General', slug: 'general' });
  const prices = [
    { hourlyPrice: '0.5' },
    { hourlyPrice: '1' },
    { hourlyPrice: '2.25' },
    { hourlyPrice: '0.1', monthlyPrice: '40' },
  ];
  const plans: number[] = [];
  for (const [i, price] of prices.entries()) {
    const plan = { groupId: group.id, name: `Plan ${i + 1}`, slug: `plan-${i + 1}`, vcpus: 1, ramMb: 1024, diskGb: 20 };
    plans.push((await post('/admin/plans', { ...plan, ...price })).id);
  }
  return { locations, plans };
}

/** Other users' rollups, written directly: what makes the indexes matter, not what is measured. */
export async function seedOthers(connection: Connection): Promise<void> {
  const monthly: unknown[][] = [];
  const daily: unknown[][] = [];
  for (let u = 0; u < OTHER_USERS; u++) {
    const user = `other-${String(u).padStart(4, '0')}`;
    for (const month of OTHER_MONTHS) {
      for (let i = 0; i < 5; i++)
        monthly.push([`${user}-vm-${i}`, 1 + (i % 4), month, user, 720, 2_592_000, 720_000_000, 1_000_000]);
      const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();
      for (let d = 1; d <= days; d++)
        daily.push([user, `${month}-${String(d).padStart(2, '0')}`, 432_000, 120_000_000]);
    }
  }
  const insert = async (table: string, columns: string, rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 2_000) {
      const { sql, params } = valuesClause(rows.slice(i, i + 2_000));
      await connection.query(`INSERT INTO ${table} (${columns}) VALUES ${sql}`, params);
    }
  };
  const monthlyColumns = 'instance_id, plan_id, month_key, user_id, hours, billed_seconds, charge, hourly_rate';
  await insert('cloud_billing_monthly_usage', monthlyColumns, monthly);
  await insert('cloud_billing_daily_usage', 'user_id, day_key, billed_seconds, charge', daily);
}
