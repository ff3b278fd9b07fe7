import { DemoSeedServices, DemoSeedStep, runSeedSteps } from './demo-seed';
import type { DemoSeedLog } from './demo-seed-log';

/** The log's contract without a database: a set of claimed step names. */
function memoryLog(claimed: string[] = []): DemoSeedLog & { claimed: Set<string> } {
  const set = new Set(claimed);
  return {
    claimed: set,
    ensureTable: async () => undefined,
    claim: async (step: string) => (set.has(step) ? false : (set.add(step), true)),
    release: async (step: string) => void set.delete(step),
  } as unknown as DemoSeedLog & { claimed: Set<string> };
}

// The steps here are recorders and never touch the services.
const services = {} as DemoSeedServices;
const at = new Date('2026-03-10T12:00:00Z');

function recordingStep(name: string, ran: string[], fail = false): DemoSeedStep {
  return {
    name,
    run: async () => {
      if (fail) throw new Error(`${name} failed`);
      ran.push(name);
    },
  };
}

describe('runSeedSteps', () => {
  it('runs each step once per database, including a step added after the first seed', async () => {
    const ran: string[] = [];
    const log = memoryLog();
    expect(await runSeedSteps(log, [recordingStep('currencies', ran)], services, at)).toEqual(['currencies']);
    const later = [recordingStep('currencies', ran), recordingStep('catalog', ran)];
    expect(await runSeedSteps(log, later, services, at)).toEqual(['catalog']);
    expect(await runSeedSteps(log, later, services, at)).toEqual([]);
    expect(ran).toEqual(['currencies', 'catalog']);
  });

  it('skips a step another replica already claimed', async () => {
    const ran: string[] = [];
    expect(await runSeedSteps(memoryLog(['currencies']), [recordingStep('currencies', ran)], services, at)).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('releases a failed step so the next start retries it, and stops there', async () => {
    const ran: string[] = [];
    const log = memoryLog();
    const steps = [recordingStep('currencies', ran, true), recordingStep('catalog', ran)];
    await expect(runSeedSteps(log, steps, services, at)).rejects.toThrow('currencies failed');
    expect([...log.claimed]).toEqual([]);
    expect(ran).toEqual([]);
  });
});
