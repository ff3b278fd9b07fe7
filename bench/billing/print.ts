import { type GrowthPoint, round2, type ScenarioResult } from './series';

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Every scenario: settleDue against the bare SQL (where it ran) and the minimal floor, and its memory. */
export function printScenarios(results: ScenarioResult[]): void {
  console.log('');
  console.table(
    results.map((r) => ({
      scenario: r.name,
      'inst-hours': r.settlement.instanceHours,
      settleDue: seconds(r.settlement.wallMs),
      'bare SQL': r.bareSql ? seconds(r.bareSql.wallMs) : '—',
      floor: seconds(r.floor.wallMs),
      '÷ bare': r.bareRatio === undefined ? '—' : `${r.bareRatio}×`,
      '÷ floor': `${r.floorRatio}×`,
      'ih/s': r.settlement.instanceHoursPerSecond,
      'ΔRSS MiB': r.settlement.peakRssDeltaMiB,
      'Δheap MiB': r.settlement.peakHeapDeltaMiB,
      'kept MiB': r.settlement.retainedHeapDeltaMiB,
      checks: checksOk(r) ? 'OK' : 'FAIL',
    })),
  );
  for (const r of results) {
    const runs = [
      ['settleDue', r.settlement.checks],
      ['bare SQL', r.bareSql?.checks ?? []],
      ['floor', r.floor.checks],
    ] as const;
    for (const [by, checks] of runs) {
      for (const c of checks.filter((check) => !check.ok)) {
        console.log(`FAIL ${r.name}, after ${by}: ${c.name}: expected ${c.expected}, got ${c.actual}`);
      }
    }
  }
}

export const checksOk = (r: ScenarioResult) => r.settlement.ok && (r.bareSql?.ok ?? true) && r.floor.ok;

/** How wall time and memory grow with the work, per shape; Galera's beside the single server's where it ran. */
export function printGrowth(single: GrowthPoint[], galera: GrowthPoint[]): void {
  console.log('\nhow the cost grows (settleDue wall time, µs per instance-hour, memory above the idle baseline):');
  console.table(
    single.map((p) => {
      const onGalera = galera.find((g) => g.shape === p.shape && g.instanceHours === p.instanceHours);
      return {
        shape: p.shape,
        'inst-hours': p.instanceHours,
        settleDue: seconds(p.wallMs),
        'µs/ih': p.usPerInstanceHour,
        floor: seconds(p.floorMs),
        'ΔRSS MiB': p.peakRssDeltaMiB,
        'Δheap MiB': p.peakHeapDeltaMiB,
        'kept MiB': p.retainedHeapDeltaMiB,
        Galera: onGalera ? seconds(onGalera.wallMs) : '—',
        'Galera ÷ single': onGalera?.ratioToSingle === undefined ? '—' : `${onGalera.ratioToSingle}×`,
        'Galera ΔRSS': onGalera ? onGalera.peakRssDeltaMiB : '—',
      };
    }),
  );
}

/** Where a profiled settleDue's time goes: per wrapped call and per statement kind, per batch. */
export function printProfile(result: ScenarioResult): void {
  const batches = Math.max(1, result.settlement.batches);
  console.log(
    `\nwhere settleDue's time goes (${result.name}: ${seconds(result.settlement.wallMs)}, ` +
      `${result.settlement.batches} batches of ${result.batchSize} accounts), per batch:`,
  );
  console.table(
    Object.entries(result.profile ?? {}).map(([call, s]) => ({
      call,
      calls: round2(s.calls / batches),
      'self ms': round2(s.selfMs / batches),
      'SQL stmts': round2(s.queries / batches),
      'SQL ms': round2(s.queryMs / batches),
      share: `${((s.selfMs / result.settlement.wallMs) * 100).toFixed(1)}%`,
    })),
  );
  console.log('statements by kind (verb and table), per batch:');
  console.table(
    Object.entries(result.statementKinds ?? {}).map(([kind, s]) => ({
      statement: kind,
      count: round2(s.count / batches),
      ms: round2(s.ms / batches),
      share: `${((s.ms / result.settlement.wallMs) * 100).toFixed(1)}%`,
    })),
  );
  if (result.bareSql) {
    const bareBatches = Math.max(1, result.bareSql.batches);
    console.log('bare SQL, per batch:');
    console.table(Object.entries(result.bareSql.steps).map(([step, ms]) => ({ step, ms: round2(ms / bareBatches) })));
  }
}
