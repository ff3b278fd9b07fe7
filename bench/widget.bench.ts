/**
 * npm run bench:widget — GET /me/widget under 50 concurrent connections (autocannon, on loopback) against a bare
 * NestJS route (GET /bench/bare, a small JSON object) in the same process and the same run, on MariaDB. The
 * widget's user has 12 instances (one plan with a resource rule, one with a monthly cap) among 100 other users'
 * 300, and a day of hours settled by the real settlement. Goals: at least half the bare route's requests per
 * second, p99 ≤ 20 ms. Also printed: the database round trips one widget request makes, and the CPU time it
 * costs the server (process CPU over requests served), which is where the time goes when a goal is missed.
 *
 *   npm run bench:widget                    10 s of load on each route (after 2 s warm-ups)
 *   npm run bench:widget -- --quick         4 s on each
 *   npm run bench:widget -- --profile       also a CPU profile of the server under the widget's load, summed
 *
 * The load generator runs in a child process (bench/widget/load.ts), not on the server's event loop; on a 2-core
 * machine it still takes one of the cores. Uses DATABASE_URL when it is mysql:// (or mariadb://), else
 * mysql://root@127.0.0.1:3306, with a database of its own dropped at the end; says why and exits 0 when MariaDB
 * cannot be reached. Writes bench/results/widget-<date>.json. Exits 1 when a request fails.
 */
import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  type INestApplication,
  Module,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { finalize } from 'rxjs';
import { DemoAppModule } from '../src/demo/demo.module';
import type { DemoConfig } from '../src/demo/demo.config';
import { applyHttpSecurity } from '../src/demo/http-security';
import { timeStatements } from './http/statement-timer';
import { call } from './report/seed';
import { profiled } from './http/profile';
import { OTHER_INSTANCES, OTHER_USERS, seedWidget, USER, USER_INSTANCES } from './widget/seed';
import { withBenchHost } from './http/bench-host';

const CONNECTIONS = 50;
const GOAL = { shareOfBare: 0.5, p99Ms: 20 };

/** The floor: a route through the same Nest and Express pipeline, helmet and cookies, doing no work of its own. */
@Controller('bench')
class BareController {
  @Get('bare')
  bare() {
    return { ok: true, service: 'bench', at: 0 };
  }
}

/**
 * Requests the load generator gave up on are still being answered when it exits: they are counted around the
 * handlers (a response's 'close' fires when the client leaves, not when the work is done), so that the next run,
 * or closing the app, waits for them instead of starting under their backlog.
 */
const handling = { inFlight: 0, lastDoneMs: 0 };
class InFlightCounter implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    handling.inFlight += 1;
    return next.handle().pipe(
      finalize(() => {
        handling.inFlight -= 1;
        handling.lastDoneMs = performance.now();
      }),
    );
  }
}

/** Until no handler runs, nor has for half a second (a request still in its guard reaches its handler by then). */
async function drained(): Promise<void> {
  while (handling.inFlight > 0 || performance.now() - handling.lastDoneMs < 500) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function benchModule(config: DemoConfig) {
  @Module({
    imports: [DemoAppModule.forRoot(config)],
    controllers: [BareController],
    providers: [{ provide: APP_INTERCEPTOR, useClass: InFlightCounter }],
  })
  class WidgetBenchModule {}
  return WidgetBenchModule;
}

/** The demo host as createDemoApp builds it (without the OpenAPI page), with the bare route beside the plugin. */
async function createApp(config: DemoConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(benchModule(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  app.use(cookieParser());
  applyHttpSecurity(app);
  await app.init();
  return app;
}

type Load = autocannon.Result & { cpuMsPerRequest: number };

/** `seconds` of load from a forked autocannon; the server's CPU time over it, per request served. */
function load(url: string, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const cpu = process.cpuUsage();
    const child = fork(join(__dirname, 'widget', 'load.ts'), [url, String(CONNECTIONS), String(seconds), USER], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
    });
    let result: autocannon.Result | undefined;
    child.on('message', (message) => (result = message as autocannon.Result));
    child.on('error', reject);
    child.on('exit', (code) => {
      const used = process.cpuUsage(cpu);
      if (!result) return reject(new Error(`load generator exited ${code}`));
      resolve({ ...result, cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(1, result.requests.total) });
    });
  });
}

/** Database round trips (statements, BEGIN and COMMIT included) made by `requests` widget requests, one at a time. */
async function roundTripsPerRequest(port: number, agent: Agent, requests: number) {
  const timer = timeStatements();
  const started = performance.now();
  for (let i = 0; i < requests; i++) await call(port, agent, 'GET', '/me/widget', undefined, USER);
  const times = timer.stop();
  const wallMs = (performance.now() - started) / requests;
  return {
    perRequest: times.count / requests,
    wallMsPerRequest: Math.round(wallMs * 100) / 100,
    databaseMsPerRequest: Math.round((times.ms / requests) * 100) / 100,
    statements: [...times.bySql.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([sql, s]) => `${(s.ms / s.count).toFixed(2)} ms × ${s.count / requests}: ${sql}`),
  };
}

const summary = (r: Load) => ({
  requestsPerSecond: Math.round(r.requests.average),
  total: r.requests.total,
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  maxMs: r.latency.max,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
  serverCpuMsPerRequest: Math.round(r.cpuMsPerRequest * 100) / 100,
});

async function main(): Promise<void> {
  const seconds = process.argv.includes('--quick') ? 4 : 10;
  await withBenchHost(
    'bench:widget',
    { clockStart: new Date('2026-01-10T00:00:00Z'), createApp },
    async ({ app, port, agent, server, version }) => {
      console.log(
        `bench:widget on MariaDB ${version} at ${server.host}: ${CONNECTIONS} connections, ${seconds} s each`,
      );
      const settleMs = await seedWidget(app, port, agent);
      console.log(
        `  seeded ${USER_INSTANCES} instances for ${USER} and ${OTHER_USERS * OTHER_INSTANCES} for ${OTHER_USERS} others; ` +
          `a day settled in ${(settleMs / 1000).toFixed(1)} s`,
      );
      const first = await call(port, agent, 'GET', '/me/widget', undefined, USER);
      const widget = JSON.parse(first.body) as { monthToDate?: { credits: string }; largestCosts?: unknown[] };
      if (first.status !== 200 || !widget.largestCosts?.length) {
        throw new Error(`GET /me/widget: ${first.status} ${first.body.slice(0, 300)}`);
      }
      console.log(
        `  widget: month to date ${widget.monthToDate?.credits} credits, ${widget.largestCosts.length} costs`,
      );
      const roundTrips = await roundTripsPerRequest(port, agent, 20);
      console.log(
        `  one widget request at a time: ${roundTrips.wallMsPerRequest} ms, ${roundTrips.perRequest} database round ` +
          `trips taking ${roundTrips.databaseMsPerRequest} ms in all (some run in parallel):\n    ` +
          roundTrips.statements.join('\n    '),
      );

      const base = `http://127.0.0.1:${port}`;
      const bareUrl = `${base}/bench/bare`;
      const widgetUrl = `${base}/cloud-billing/me/widget`;
      await load(bareUrl, 2); // warm-ups: JIT, the pool's connections
      await load(widgetUrl, 2);
      await drained();
      const bare = summary(await load(bareUrl, seconds));
      await drained();
      const profile = process.argv.includes('--profile') ? join(__dirname, 'results', 'widget.cpuprofile') : null;
      const measured = profile
        ? await profiled(profile, () => load(widgetUrl, seconds))
        : { result: await load(widgetUrl, seconds), top: [] };
      const widgetLoad = summary(measured.result);
      await drained();
      const share = widgetLoad.requestsPerSecond / bare.requestsPerSecond;
      const goals = {
        shareOfBare: {
          goal: `≥ ${GOAL.shareOfBare}`,
          measured: Math.round(share * 100) / 100,
          met: share >= GOAL.shareOfBare,
        },
        p99Ms: { goal: `≤ ${GOAL.p99Ms}`, measured: widgetLoad.p99Ms, met: widgetLoad.p99Ms <= GOAL.p99Ms },
      };
      const line = (name: string, r: ReturnType<typeof summary>) =>
        console.log(
          `  ${name}: ${r.requestsPerSecond} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, ` +
            `${r.errors} errors, ${r.non2xx} non-2xx, server CPU ${r.serverCpuMsPerRequest} ms/request`,
        );
      console.log('');
      line('GET /bench/bare ', bare);
      line('GET /me/widget  ', widgetLoad);
      console.log(
        `  widget / bare: ${goals.shareOfBare.measured} (goal ${goals.shareOfBare.goal}): ${goals.shareOfBare.met ? 'MET' : 'MISSED'}; ` +
          `p99 ${widgetLoad.p99Ms} ms (goal ${goals.p99Ms.goal} ms): ${goals.p99Ms.met ? 'MET' : 'MISSED'}`,
      );

      const directory = join(__dirname, 'results');
      mkdirSync(directory, { recursive: true });
      const file = join(
        directory,
        `widget-${new Date().toISOString().slice(0, 10)}${seconds < 10 ? '-quick' : ''}.json`,
      );
      const result = {
        benchmark: 'widget',
        at: new Date().toISOString(),
        server: version,
        connections: CONNECTIONS,
        seconds,
        seed: { userInstances: USER_INSTANCES, otherUsers: OTHER_USERS, otherInstances: OTHER_USERS * OTHER_INSTANCES },
        sequential: roundTrips,
        bare,
        widget: widgetLoad,
        goals,
      };
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\nwrote ${file}`);
      if (profile)
        console.log(`\nserver CPU profile under the widget's load (${profile}):\n  ${measured.top.join('\n  ')}`);
      if (widgetLoad.errors + widgetLoad.non2xx + bare.errors + bare.non2xx > 0) process.exitCode = 1;
    },
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
