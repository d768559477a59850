import { systemClock } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createConflator } from "../src/realtime/conflator.js";
import { sleep, waitFor } from "./realtime/helpers.js";

const test = suite("realtime: per-entity conflation");

const recorder = (maxPerSecond: number, workMs = 0) => {
  const runs: { key: string; value: number; at: number }[] = [];
  let conflated = 0;
  const conflator = createConflator<number>({
    maxPerSecond,
    clock: systemClock,
    run: async (key, value) => {
      runs.push({ key, value, at: Date.now() });
      if (workMs) await sleep(workMs);
    },
    onConflated: () => conflated++,
    onError: (error) => {
      throw error;
    },
  });
  return { conflator, runs, conflated: () => conflated };
};

test("runs the first value at once and the latest one when the interval ends", async () => {
  const { conflator, runs, conflated } = recorder(10);
  for (let i = 1; i <= 5; i++) conflator.offer("a", i);
  await waitFor(() => runs.length === 2, 1_000, "the trailing run");
  assert.equal(
    runs.map((r) => r.value),
    [1, 5],
  );
  assert.ok((runs[1]?.at ?? 0) - (runs[0]?.at ?? 0) >= 95, "the trailing run waits out the 100 ms interval");
  assert.is(conflated(), 3);
  conflator.dispose();
});

test("keys are independent", async () => {
  const { conflator, runs } = recorder(1);
  conflator.offer("a", 1);
  conflator.offer("b", 2);
  await waitFor(() => runs.length === 2, 1_000, "two runs");
  conflator.dispose();
});

test("without a rate, still one run in flight per key and the latest value last", async () => {
  const { conflator, runs } = recorder(0, 30);
  for (let i = 1; i <= 10; i++) conflator.offer("a", i);
  await waitFor(() => runs.at(-1)?.value === 10, 1_000, "the latest value");
  await sleep(50);
  assert.equal(
    runs.map((r) => r.value),
    [1, 10],
  );
  await waitFor(() => conflator.size === 0, 1_000, "the idle key to be forgotten");
  conflator.dispose();
});

test("dispose cancels pending runs", async () => {
  const { conflator, runs } = recorder(5);
  conflator.offer("a", 1);
  conflator.offer("a", 2);
  conflator.dispose();
  await sleep(300);
  assert.equal(
    runs.map((r) => r.value),
    [1],
  );
});

test.run();
