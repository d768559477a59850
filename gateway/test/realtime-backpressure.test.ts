import { suite } from "uvu";
import * as assert from "uvu/assert";
import WebSocket from "ws";
import { appendEvent, sleep, subscribe, waitFor } from "./realtime/helpers.js";
import { counter, createWorld, type World } from "./realtime/world.js";

const test = suite<{ world: World }>("realtime: conflation and slow consumers");

test.before.each(async (ctx) => {
  ctx.world = await createWorld();
  ctx.world.store.entries.set("e1", { id: "e1", eventName: "Spring fair", amount: "12500" });
  ctx.world.store.ballots.set("b1", { id: "b1", entryId: "e1", status: "OPEN", approve: 0, reject: 0, memo: "" });
});
test.after.each(async (ctx) => {
  await ctx.world.dispose();
});

test("conflates a burst on one entity to at most N pushes per second, ending on the latest state", async ({
  world,
}) => {
  const gateway = await world.startGateway({ maxPushesPerSecond: 5 });
  const tally = subscribe((await world.open(gateway)).client, {
    query: `subscription { voteTallyChanged(ballotId: "b1") { approve } }`,
  });
  await sleep(150);
  const ballot = world.store.ballots.get("b1")!;
  const started = Date.now();
  for (let i = 1; i <= 60; i++) {
    ballot.approve = i;
    await appendEvent(world.redis, world.prefix, "voting", "VoteTallyChanged", { ballotId: "b1", orgId: "o1" });
    if (i % 10 === 0) await sleep(20);
  }
  const burstMs = Date.now() - started;
  const last = () =>
    (tally.results.at(-1)?.data as { voteTallyChanged: { approve: number } } | undefined)?.voteTallyChanged;
  await waitFor(() => last()?.approve === 60, 5_000, "the latest tally");
  await sleep(450);
  // 60 events in `burstMs` at 5 pushes/s: one leading push, then one per 200 ms window, the last one latest.
  assert.ok(tally.results.length >= 2, "at least the leading and the trailing push");
  assert.ok(tally.results.length <= Math.ceil(burstMs / 200) + 2, `${tally.results.length} pushes in ${burstMs} ms`);
  assert.is(last()?.approve, 60);
  assert.ok((await counter(gateway, "clearbook_realtime_conflated_events_total")) > 0);
});

test("does not conflate events of different entities", async ({ world }) => {
  const gateway = await world.startGateway({ maxPushesPerSecond: 1 });
  for (let i = 1; i <= 20; i++) world.store.entries.set(`e${i}`, { id: `e${i}`, eventName: `#${i}`, amount: "1" });
  const entries = subscribe((await world.open(gateway)).client, {
    query: `subscription { ledgerEntryChanged(orgId: "o1") { id } }`,
  });
  await sleep(150);
  for (let i = 1; i <= 20; i++) {
    await appendEvent(world.redis, world.prefix, "ledger", "LedgerEntryChanged", { orgId: "o1", entryId: `e${i}` });
  }
  await waitFor(() => entries.results.length === 20, 5_000, "20 pushes");
});

test("closes a slow consumer with 4413 when its send buffer overflows, and keeps serving the others", async ({
  world,
}) => {
  const gateway = await world.startGateway({ maxBufferedBytes: 256 * 1024, closeGraceMs: 10_000 });
  const big = "x".repeat(256 * 1024);
  for (let i = 1; i <= 120; i++) world.store.entries.set(`e${i}`, { id: `e${i}`, eventName: big, amount: "1" });
  const query = `subscription { ledgerEntryChanged(orgId: "o1") { id eventName } }`;

  const healthy = subscribe((await world.open(gateway)).client, { query });
  const slow = new WebSocket(gateway.url, "graphql-transport-ws");
  const messages: string[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    slow.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  slow.on("message", (data) => messages.push(data.toString().slice(0, 60)));
  await new Promise((resolve) => slow.once("open", resolve));
  slow.send(JSON.stringify({ type: "connection_init" }));
  await waitFor(() => messages.length === 1, 5_000, "the ack");
  slow.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
  await sleep(150);
  slow.pause(); // stops reading: the kernel buffers fill, then the gateway's send buffer

  for (let i = 1; i <= 120; i++) {
    await appendEvent(world.redis, world.prefix, "ledger", "LedgerEntryChanged", { orgId: "o1", entryId: `e${i}` });
  }
  await waitFor(() => healthy.results.length === 120, 15_000, "the healthy subscriber's pushes");
  const slowCloses = await counter(gateway, "clearbook_realtime_closes_total", { reason: "slow_consumer" });
  assert.is(slowCloses, 1);
  slow.resume();
  const close = await Promise.race([closed, sleep(10_000).then(() => ({ code: 0, reason: "timeout" }))]);
  assert.equal(close, { code: 4413, reason: "Slow consumer: send buffer overflow" });
  assert.ok(messages.length - 1 < 120, `the slow consumer got ${messages.length - 1} pushes before the close`);
});

test.run();
