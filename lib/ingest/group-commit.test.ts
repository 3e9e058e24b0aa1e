import { describe, expect, it } from "vitest";
import { GroupCommitter, type Outcome } from "./group-commit";

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe("GroupCommitter", () => {
  it("writes the first item at once and the items that arrive meanwhile as one batch", async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate.promise;
        return items.map((value) => ({ status: "fulfilled", value: value * 10 }));
      },
      { maxBatch: 3, concurrency: 1 },
    );
    const results = [1, 2, 3, 4, 5, 6].map((n) => committer.submit(n));
    gate.release();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it("settles each item with its own outcome, and fails a whole batch when the flush throws", async () => {
    let call = 0;
    const committer = new GroupCommitter<string, string>(
      async (items): Promise<Outcome<string>[]> => {
        call++;
        if (call === 1) throw new Error("database down");
        return items.map((item) => (item === "bad" ? { status: "rejected", reason: new Error(`cannot store ${item}`) } : { status: "fulfilled", value: item }));
      },
      { maxBatch: 10, concurrency: 1 },
    );
    const first = committer.submit("a");
    const rest = [committer.submit("b"), committer.submit("bad")];
    await expect(first).rejects.toThrow("database down");
    await expect(rest[0]).resolves.toBe("b");
    await expect(rest[1]).rejects.toThrow("cannot store bad");
  });

  it("runs at most `concurrency` flushes at a time", async () => {
    let running = 0;
    let peak = 0;
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return items.map((value) => ({ status: "fulfilled", value }));
      },
      { maxBatch: 1, concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 8 }, (_, i) => committer.submit(i)));
    expect(peak).toBe(2);
  });
});
