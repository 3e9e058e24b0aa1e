type Waiter<T, R> = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };

export type Outcome<R> = PromiseSettledResult<R>;

/**
 * Group commit: items submitted while a flush is running wait and are written together by
 * the next flush, so under load one transaction carries many events and when idle an item
 * is written at once. `flush` returns one result per item, in order.
 */
export class GroupCommitter<T, R> {
  private pending: Waiter<T, R>[] = [];
  private running = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<Outcome<R>[]>,
    private readonly options: { maxBatch: number; concurrency: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      this.running++;
      this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiter<T, R>[]): Promise<void> {
    try {
      const outcomes = await this.flush(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome?.status === "fulfilled") w.resolve(outcome.value);
        else w.reject(outcome ? outcome.reason : new Error("flush returned no outcome"));
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
