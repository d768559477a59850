import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BlockCutter } from "../src/block-cutter.js";
import { TxCode } from "../src/index.js";
import { connectAs, removeDir, startDevpeer, within } from "./helpers.js";

const test = suite("block cutting");

test("cuts a batch when it is full, before the timeout", async () => {
  const batches: number[][] = [];
  const cutter = new BlockCutter<number>({
    maxMessageCount: 3,
    batchTimeoutMs: 60_000,
    onBatch: async (batch) => {
      batches.push(batch);
    },
    onError: (error) => {
      throw error;
    },
  });
  for (const n of [1, 2, 3, 4]) cutter.add(n);
  await within(1_000, cutter.flush());
  assert.equal(batches, [[1, 2, 3], [4]]);
});

test("cuts a batch after the timeout, and hands batches over in order one at a time", async () => {
  const events: string[] = [];
  const cutter = new BlockCutter<string>({
    maxMessageCount: 100,
    batchTimeoutMs: 5,
    onBatch: async (batch) => {
      events.push(`start ${batch.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`end ${batch.join("")}`);
    },
    onError: (error) => {
      throw error;
    },
  });
  cutter.add("a");
  await new Promise((resolve) => setTimeout(resolve, 10));
  cutter.add("b");
  cutter.add("c");
  await within(1_000, cutter.flush());
  assert.equal(events, ["start a", "end a", "start bc", "end bc"]);
});

test("a devpeer with DEVPEER_BATCH_SIZE transactions pending commits them in one block at once", async () => {
  const devpeer = await startDevpeer({ batchSize: 4, batchTimeoutMs: 60_000 });
  try {
    const admin = connectAs(devpeer, devpeer.credentials.admin);
    const contract = admin.gateway.getNetwork("clearbook").getContract("clearbook");
    const submitted = await Promise.all(
      [1, 2, 3, 4].map((n) => contract.submitAsync("counter:Increment", { arguments: [`batch:${n}`] })),
    );
    const statuses = await within(5_000, Promise.all(submitted.map((tx) => tx.getStatus())));
    assert.ok(statuses.every((status) => status.code === TxCode.VALID));
    assert.equal(
      statuses.map((status) => status.blockNumber),
      [1n, 1n, 1n, 1n],
    );
    admin.close();
  } finally {
    await devpeer.dispose();
    await removeDir(devpeer.dir);
  }
});

test.run();
