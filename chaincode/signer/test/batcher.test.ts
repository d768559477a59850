import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createBatcher } from "../src/index.js";

const batcher = suite("batcher");

batcher("gathers concurrent calls into one run and gives each caller its own result", async () => {
  const runs: number[][] = [];
  const double = createBatcher<number, number>(async (items) => {
    runs.push(items);
    return items.map((n) => n * 2);
  });
  const results = await Promise.all([1, 2, 3].map((n) => double(n)));
  assert.equal(results, [2, 4, 6]);
  assert.equal(runs, [[1, 2, 3]]);
});

batcher("starts a run as soon as a batch is full", async () => {
  const runs: number[][] = [];
  const echo = createBatcher<number, number>(
    async (items) => {
      runs.push(items);
      return items;
    },
    { maxItems: 2, maxDelayMs: 1_000 },
  );
  const started = Date.now();
  await Promise.all([echo(1), echo(2)]);
  assert.ok(Date.now() - started < 500, "did not wait for the delay");
  assert.equal(runs, [[1, 2]]);
});

batcher("fails every caller of a failed run, and only them", async () => {
  let calls = 0;
  const flaky = createBatcher<string, string>(async (items) => {
    calls += 1;
    if (calls === 1) throw new Error("database went away");
    return items;
  });
  const first = await Promise.allSettled([flaky("a"), flaky("b")]);
  assert.equal(
    first.map((r) => r.status),
    ["rejected", "rejected"],
  );
  assert.is(await flaky("c"), "c");
});

batcher.run();
