/**
 * A CPU profile of this process while `work` runs (node:inspector), summed by function: where the server's time
 * went. `--profile` in bench/widget.bench.ts and bench/placement.bench.ts prints it for the measured load; the
 * .cpuprofile is written too.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export async function profiled<T>(file: string, work: () => Promise<T>): Promise<{ result: T; top: string[] }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  const byPackage = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)?.callFrame;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const url = frame?.url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/') ?? '';
    const key = `${frame?.functionName || '(anonymous)'} ${url}:${(frame?.lineNumber ?? 0) + 1}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
    const where = url.startsWith('src/')
      ? 'plugin (src/)'
      : url === ''
        ? `(${frame?.functionName})`
        : url.split('/')[0].startsWith('@')
          ? url.split('/').slice(0, 2).join('/')
          : url.split('/')[0];
    byPackage.set(where, (byPackage.get(where) ?? 0) + ms);
  });
  const total = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  const lines = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, ms]) => `${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  return { result, top: ['by package:', ...lines(byPackage, 12), 'by function (self time):', ...lines(selfMs, 25)] };
}
