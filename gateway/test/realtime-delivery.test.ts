import { suite } from "uvu";
import * as assert from "uvu/assert";
import { appendEvent, connect, type Received, sleep, subscribe, waitFor } from "./realtime/helpers.js";
import { createWorld, type World } from "./realtime/world.js";

const test = suite<{ world: World }>("realtime: delivery across replicas and reconnects");

test.before.each(async (ctx) => {
  ctx.world = await createWorld();
  for (let i = 1; i <= 9; i++) {
    ctx.world.store.entries.set(`e${i}`, { id: `e${i}`, eventName: `Entry ${i}`, amount: `${i}00` });
  }
});
test.after.each(async (ctx) => {
  await ctx.world.dispose();
});

const entryChanged = (world: World, i: number) =>
  appendEvent(world.redis, world.prefix, "ledger", "LedgerEntryChanged", { orgId: "o1", entryId: `e${i}` });
const query = `subscription Entries($org: ID!) { ledgerEntryChanged(orgId: $org) { id eventName } }`;
const ids = (results: { data?: unknown }[]) =>
  results.map((r) => (r.data as { ledgerEntryChanged?: { id: string } } | null)?.ledgerEntryChanged?.id);

test("two gateway instances both deliver one event", async ({ world }) => {
  const first = await world.startGateway();
  const second = await world.startGateway();
  const onFirst = subscribe((await world.open(first)).client, { query, variables: { org: "o1" } });
  const onSecond = subscribe((await world.open(second)).client, { query, variables: { org: "o1" } });
  await sleep(150);
  const eventId = await entryChanged(world, 1);
  await waitFor(() => onFirst.results.length === 1 && onSecond.results.length === 1, 5_000, "both pushes");
  assert.equal(onFirst.json(), onSecond.json());
  assert.equal(onFirst.json()[0], {
    data: { ledgerEntryChanged: { id: "e1", eventName: "Entry 1" } },
    extensions: { eventId },
  });
});

test("a client that resumes from its last event id gets what it missed, then live events, without loss", async ({
  world,
}) => {
  const gateway = await world.startGateway();
  const before = await world.open(gateway);
  const live = subscribe(before.client, { query, variables: { org: "o1" } });
  await sleep(150);
  // One at a time: pushes for different entries run concurrently and may arrive in either order,
  // and this test is about the resume, so the last push must be the newest event.
  for (let i = 1; i <= 3; i++) {
    await entryChanged(world, i);
    await waitFor(() => live.results.length === i, 5_000, `push ${i}`);
  }
  const lastEventId = live.results[2]?.extensions?.eventId;
  assert.type(lastEventId, "string");
  await before.client.dispose();

  for (let i = 4; i <= 6; i++) await entryChanged(world, i);
  const after = await world.open(gateway);
  const resumed = subscribe(after.client, { query, variables: { org: "o1" }, extensions: { lastEventId } });
  await waitFor(() => resumed.results.length === 3, 5_000, "the missed three");
  await entryChanged(world, 7);
  await waitFor(() => resumed.results.length === 4, 5_000, "the live one");
  await sleep(200);
  assert.equal(ids(resumed.results), ["e4", "e5", "e6", "e7"]);
});

test("clients resuming from the same event id share the replay's executions", async ({ world }) => {
  const gateway = await world.startGateway();
  const first = await world.open(gateway);
  const live = subscribe(first.client, { query, variables: { org: "o1" } });
  await sleep(150);
  await entryChanged(world, 1);
  await waitFor(() => live.results.length === 1, 5_000, "the first event");
  const lastEventId = live.results[0]?.extensions?.eventId;
  await first.client.dispose();
  await entryChanged(world, 2);
  await entryChanged(world, 3);
  await sleep(300); // the tailer has read them: they are in the past for the resuming clients
  const before = gateway.executions();
  const resumed: Received[] = [];
  for (let i = 0; i < 5; i++) {
    const { client } = await world.open(gateway);
    resumed.push(subscribe(client, { query, variables: { org: "o1" }, extensions: { lastEventId } }));
  }
  await waitFor(() => resumed.every((r) => r.results.length === 2), 5_000, "every replay");
  for (const r of resumed) assert.equal(ids(r.results), ["e2", "e3"]);
  assert.is(gateway.executions() - before, 2);
});

test("a resume across trimmed entries says so (resumeGap) for a subscription over many entities", async ({ world }) => {
  const gateway = await world.startGateway();
  const first = await world.open(gateway);
  const live = subscribe(first.client, { query, variables: { org: "o1" } });
  await sleep(150);
  await entryChanged(world, 1);
  await waitFor(() => live.results.length === 1, 5_000, "the first event");
  const lastEventId = live.results[0]?.extensions?.eventId;
  await first.client.dispose();
  const trimmedId = await entryChanged(world, 2);
  const kept = await entryChanged(world, 3);
  await world.redis.xdel(`${world.prefix}evt:ledger`, trimmedId);
  await sleep(300);
  const again = await world.open(gateway);
  const resumed = subscribe(again.client, { query, variables: { org: "o1" }, extensions: { lastEventId } });
  await waitFor(() => resumed.results.length === 2, 5_000, "the surviving event and the gap marker");
  assert.equal(ids(resumed.results), ["e3", undefined]);
  assert.equal(resumed.json()[1], { data: null, extensions: { eventId: kept, resumeGap: true } });
});

test("a resume across trimmed entries pushes the current state of a subscription bound to one entity", async ({
  world,
}) => {
  world.store.ballots.set("b1", { id: "b1", entryId: "e1", status: "OPEN", approve: 1, reject: 0, memo: "" });
  const gateway = await world.startGateway();
  const tally = (id: string) =>
    appendEvent(world.redis, world.prefix, "voting", "VoteTallyChanged", { ballotId: id, orgId: "o1" });
  const first = await world.open(gateway);
  const tallyQuery = `subscription { voteTallyChanged(ballotId: "b1") { approve } }`;
  const live = subscribe(first.client, { query: tallyQuery });
  await sleep(150);
  await tally("b1");
  await waitFor(() => live.results.length === 1, 5_000, "the first push");
  const lastEventId = live.results[0]?.extensions?.eventId;
  await first.client.dispose();
  world.store.ballots.get("b1")!.approve = 7;
  const lost = await tally("b1");
  const other = await tally("b2");
  await world.redis.xdel(`${world.prefix}evt:voting`, lost);
  await sleep(300);
  const again = await world.open(gateway);
  const resumed = subscribe(again.client, { query: tallyQuery, extensions: { lastEventId } });
  await waitFor(() => resumed.results.length === 1, 5_000, "the current state");
  assert.equal(resumed.json(), [{ data: { voteTallyChanged: { approve: 7 } }, extensions: { eventId: other } }]);
});

test("the documented client contract resumes across a dropped socket", async ({ world }) => {
  const gateway = await world.startGateway();
  const sockets: WebSocket[] = [];
  // A graphql-ws client whose sockets the test can drop, retrying after 300 ms.
  const { default: WS } = await import("ws");
  class Tracked extends WS {
    constructor(...args: ConstructorParameters<typeof WS>) {
      super(...args);
      sockets.push(this as unknown as WebSocket);
    }
  }
  const test = connect(gateway.url, { retry: true, webSocketImpl: Tracked, retryWaitMs: 300 });
  await test.connected();
  const payload = { query, variables: { org: "o1" }, extensions: { lastEventId: null as unknown } };
  const seen: string[] = [];
  const unsubscribe = test.client.subscribe<{ ledgerEntryChanged: { id: string } }, { eventId?: string }>(payload, {
    next: (result) => {
      seen.push(result.data?.ledgerEntryChanged.id ?? "?");
      // The contract: remember the last event id in the payload graphql-ws re-sends on reconnect.
      payload.extensions.lastEventId = result.extensions?.eventId;
    },
    error: () => {},
    complete: () => {},
  });
  await sleep(150);
  await entryChanged(world, 1);
  await waitFor(() => seen.length === 1, 5_000, "the first event");
  (sockets.at(-1) as unknown as { terminate(): void }).terminate();
  for (let i = 2; i <= 4; i++) await entryChanged(world, i);
  await waitFor(() => seen.length === 4, 5_000, "the missed events after the reconnect");
  await entryChanged(world, 5);
  await waitFor(() => seen.length === 5, 5_000, "the live event");
  assert.equal(seen, ["e1", "e2", "e3", "e4", "e5"]);
  assert.is(sockets.length, 2);
  unsubscribe();
  await test.client.dispose();
});

test.run();
