/**
 * The open-loop load of bench/placement.bench.ts, in a process of its own (forked): POST /me/instances at a fixed
 * rate for a fixed time, each request sent at its scheduled moment whether or not earlier ones were answered (an
 * open loop: a slow server meets a queue, as it would from real users), its latency counted from that scheduled
 * moment, so time spent queueing, here or in the server, is in it. The plan is in argv[2] as JSON; the result
 * goes back over IPC.
 */
import { Agent, request } from 'node:http';

interface Plan {
  port: number;
  perSecond: number;
  seconds: number;
  planId: number;
  locationId: number;
  users: number;
}

export interface OpenLoopResult {
  scheduled: number;
  latenciesMs: number[];
  failures: string[];
  /** How late the generator itself sent requests (ms behind schedule): a busy generator would skew the figures. */
  sendLagP99Ms: number;
  wallMs: number;
}

const plan = JSON.parse(process.argv[2]) as Plan;
// Enough sockets that no request waits for one here: queueing belongs to the server.
const agent = new Agent({ keepAlive: true, maxSockets: 2_000 });

function create(index: number): Promise<string | null> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ planId: plan.planId, locationId: plan.locationId, name: `steady-${index}` });
    const headers = { 'content-type': 'application/json', 'x-user-id': `steady-user-${index % plan.users}` };
    const req = request(
      { port: plan.port, agent, method: 'POST', path: '/cloud-billing/me/instances', headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(res.statusCode === 201 ? null : `${res.statusCode} ${text.slice(0, 200)}`));
      },
    );
    req.on('error', (error) => resolve(error.message));
    req.end(body);
  });
}

async function run(): Promise<OpenLoopResult> {
  const total = Math.round(plan.perSecond * plan.seconds);
  const intervalMs = 1000 / plan.perSecond;
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  const sendLags: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now() + 50;
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      for (; next < total && start + next * intervalMs <= now; next++) {
        const scheduledAt = start + next * intervalMs;
        sendLags.push(now - scheduledAt);
        pending.push(
          create(next).then((failure) => {
            latenciesMs.push(performance.now() - scheduledAt);
            if (failure !== null) failures.push(failure);
          }),
        );
      }
      if (next < total) setTimeout(tick, 1);
      else done();
    };
    setTimeout(tick, 50);
  });
  await Promise.all(pending);
  sendLags.sort((a, b) => a - b);
  return {
    scheduled: total,
    latenciesMs,
    failures,
    sendLagP99Ms: sendLags[Math.ceil(sendLags.length * 0.99) - 1] ?? 0,
    wallMs: performance.now() - start,
  };
}

run()
  .then((result) => process.send?.(result, () => process.exit(0)))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
