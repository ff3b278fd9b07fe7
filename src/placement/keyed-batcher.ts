/** What a batch's work returns for each item, in the items' order: a value, or the error for that item alone. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiter<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs work for one key at a time, handing it every item that arrived for that key while the
 * previous run was busy (up to `maxBatch`), in arrival order. Different keys run side by side.
 * A run that throws fails every item in it; the next items still get their run.
 */
export class KeyedBatcher<K, T, R> {
  private readonly waiting = new Map<K, Waiter<T, R>[]>();
  private readonly busy = new Set<K>();

  constructor(
    private readonly work: (key: K, items: T[]) => Promise<BatchOutcome<R>[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: K, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push({ item, resolve, reject });
      this.waiting.set(key, queue);
      if (!this.busy.has(key)) void this.drain(key);
    });
  }

  private async drain(key: K): Promise<void> {
    this.busy.add(key);
    try {
      for (let queue = this.waiting.get(key); queue && queue.length > 0; queue = this.waiting.get(key)) {
        const batch = queue.splice(0, this.maxBatch);
        if (queue.length === 0) this.waiting.delete(key);
        await this.run(key, batch);
      }
    } finally {
      this.busy.delete(key);
    }
  }

  private async run(key: K, batch: Waiter<T, R>[]): Promise<void> {
    try {
      const outcomes = await this.work(
        key,
        batch.map((waiter) => waiter.item),
      );
      batch.forEach((waiter, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) waiter.resolve(outcome.value);
        else waiter.reject(outcome ? outcome.error : new Error('the batch returned no outcome for this item'));
      });
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }
}
