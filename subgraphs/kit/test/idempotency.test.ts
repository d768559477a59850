import { test } from "uvu";
import * as assert from "uvu/assert";
import { ManualClock } from "../src/clock.js";
import { applyOnce, pruneProcessedCommands, startProcessedCommandPruning } from "../src/idempotency.js";
import type { OrmHandle } from "../src/orm.js";
import { ProcessedCommand } from "../src/outbox.entity.js";
import { testOrm } from "./helpers.js";

let orm: OrmHandle;
const DAY = 86_400_000;
const silent = { info() {}, error() {} };

test.before(async () => {
  orm = await testOrm("idempotency");
});
test.after(async () => {
  await orm.dispose();
});
test.before.each(async () => {
  await orm.fork().nativeDelete(ProcessedCommand, {});
});

async function markAt(group: string, commandId: string, at: number) {
  const applied = await applyOnce(orm, group, commandId, async () => "done", new ManualClock(at));
  assert.ok(applied.applied, `${commandId} applied`);
}

async function remaining(): Promise<string[]> {
  const rows = await orm.fork().find(ProcessedCommand, {}, { orderBy: { id: "asc" } });
  return rows.map((row) => row.commandId);
}

test("applyOnce applies a command once and skips it when delivered again", async () => {
  let runs = 0;
  const first = await applyOnce(orm, "g", "c-1", async () => ++runs);
  const second = await applyOnce(orm, "g", "c-1", async () => ++runs);
  assert.equal(first, { applied: true, result: 1 });
  assert.equal(second, { applied: false });
  assert.is(runs, 1);
});

test("pruning forgets only the marks older than the cut-off, in batches", async () => {
  const now = Date.UTC(2026, 11, 4);
  for (let i = 0; i < 7; i++) await markAt("g", `old-${i}`, now - 10 * DAY + i);
  await markAt("other", "old-other", now - 9 * DAY);
  for (let i = 0; i < 3; i++) await markAt("g", `new-${i}`, now - DAY + i);

  const deleted = await pruneProcessedCommands(orm, new Date(now - 7 * DAY), 3);

  assert.is(deleted, 8);
  assert.equal(await remaining(), ["new-0", "new-1", "new-2"]);
  // A kept mark still stops a redelivery; a pruned one no longer would (it is past any redelivery).
  assert.equal(await applyOnce(orm, "g", "new-1", async () => "again"), { applied: false });
});

test("pruning with every mark expired empties the table; with none it deletes nothing", async () => {
  const now = Date.UTC(2026, 11, 4);
  for (let i = 0; i < 5; i++) await markAt("g", `old-${i}`, now - 30 * DAY + i);
  assert.is(await pruneProcessedCommands(orm, new Date(now - 7 * DAY), 2), 5);
  assert.equal(await remaining(), []);

  await markAt("g", "fresh", now);
  assert.is(await pruneProcessedCommands(orm, new Date(now - 7 * DAY)), 0);
  assert.equal(await remaining(), ["fresh"]);
});

test("the pruning job uses its clock and retention, and stops on dispose", async () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 4));
  await markAt("g", "eight-days", clock.now() - 8 * DAY);
  await markAt("g", "six-days", clock.now() - 6 * DAY);
  const job = startProcessedCommandPruning({ orm, logger: silent, retentionMs: 7 * DAY, clock, intervalMs: 60_000 });
  try {
    assert.is(await job.runOnce(), 1);
    assert.equal(await remaining(), ["six-days"]);
    clock.advance(2 * DAY);
    assert.is(await job.runOnce(), 1);
    assert.equal(await remaining(), []);
  } finally {
    await job.dispose();
  }
});

test.run();
