import { BatchOutcome, KeyedBatcher } from './keyed-batcher';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const ok = <R>(value: R): BatchOutcome<R> => ({ ok: true, value });

describe('KeyedBatcher', () => {
  it('hands the work every item that arrived while it was busy, in order, one run per key at a time', async () => {
    const runs: number[][] = [];
    let running = 0;
    const batcher = new KeyedBatcher<string, number, number>(async (_key, items) => {
      running += 1;
      expect(running).toBe(1);
      runs.push(items);
      await tick();
      running -= 1;
      return items.map((item) => ok(item * 10));
    }, 100);
    const results = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit('a', n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it('caps the size of a batch', async () => {
    const runs: number[][] = [];
    const batcher = new KeyedBatcher<string, number, number>(async (_key, items) => {
      runs.push(items);
      await tick();
      return items.map(ok);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit('a', n)));
    expect(runs).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('runs different keys side by side', async () => {
    const started: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new KeyedBatcher<string, number, string>(async (key, items) => {
      started.push(key);
      await gate;
      return items.map(() => ok(key));
    }, 10);
    const a = batcher.submit('a', 1);
    const b = batcher.submit('b', 1);
    await tick();
    expect(started).toEqual(['a', 'b']);
    release();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
  });

  it('fails only the item whose outcome is an error', async () => {
    const batcher = new KeyedBatcher<string, number, number>(
      async (_key, items) => items.map((item) => (item === 2 ? { ok: false, error: new Error('no room') } : ok(item))),
      10,
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit('a', n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails the whole batch when the work throws, and runs the next one', async () => {
    let calls = 0;
    const batcher = new KeyedBatcher<string, number, number>(async (_key, items) => {
      calls += 1;
      await tick();
      if (calls === 1) throw new Error('database down');
      return items.map(ok);
    }, 10);
    const first = batcher.submit('a', 1);
    const second = batcher.submit('a', 2);
    await expect(first).rejects.toThrow('database down');
    await expect(second).resolves.toBe(2);
  });
});
