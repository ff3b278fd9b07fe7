export interface Measured<T> {
  result: T;
  wallMs: number;
  baselineRss: number;
  peakRss: number;
  baselineHeap: number;
  peakHeap: number;
  /** Heap in use right after the run, after a full GC, with its result still referenced: what it retains. */
  retainedHeap: number;
}

/**
 * Runs `work`, sampling the process's RSS and V8 heap every `everyMs`: the peaks, and the baselines taken
 * just before (after a full GC when node runs with --expose-gc).
 */
export async function measure<T>(work: () => Promise<T>, everyMs = 50): Promise<Measured<T>> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, everyMs);
  const started = performance.now();
  try {
    const result = await work();
    const wallMs = performance.now() - started;
    sample();
    (globalThis as { gc?: () => void }).gc?.();
    const retainedHeap = process.memoryUsage().heapUsed;
    return {
      result,
      wallMs,
      baselineRss: baseline.rss,
      peakRss,
      baselineHeap: baseline.heapUsed,
      peakHeap,
      retainedHeap,
    };
  } finally {
    clearInterval(timer);
  }
}

export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
