import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createCommandConsumer } from "../src/command-consumer.js";
import { appendEvent } from "../src/events.js";
import { compareStreamIds, nextStreamId, trimStream } from "../src/stream-trim.js";
import { StreamKind, streamKey } from "../src/streams.js";
import { testRedis, waitFor } from "./helpers.js";

interface Context {
  redis: Awaited<ReturnType<typeof testRedis>>;
}
const Trim = suite<Context>("stream trimming", {} as Context);
let seq = 0;

Trim.before(async (context) => {
  context.redis = await testRedis("trim");
});
Trim.after(async ({ redis }) => {
  await redis.dispose();
});

const closed = (i: number) => ({
  type: "BallotClosed" as const,
  data: { ballotId: `b${i}`, orgId: "o", status: "APPROVED" },
});

async function readGroup(context: Context, stream: string, group: string, count: number): Promise<string[]> {
  const reply = (await context.redis.client.xreadgroup(
    "GROUP",
    group,
    "reader",
    "COUNT",
    count,
    "STREAMS",
    stream,
    ">",
  )) as Array<[string, Array<[string, string[]]>]> | null;
  return (reply?.[0]?.[1] ?? []).map(([id]) => id);
}

Trim("compares and steps stream ids numerically", () => {
  assert.is(compareStreamIds("9-0", "10-0"), -1);
  assert.is(compareStreamIds("10-2", "10-10"), -1);
  assert.is(compareStreamIds("10-2", "10-2"), 0);
  assert.is(nextStreamId("10-9"), "10-10");
});

Trim(
  "an event stream past maxLen keeps every entry a consumer group has not read, and says who holds it",
  async (context) => {
    const domain = `slow${++seq}`;
    const stream = streamKey(StreamKind.event, domain, context.redis.namespace);
    const options = { namespace: context.redis.namespace, maxLen: 100 };
    await context.redis.client.xgroup("CREATE", stream, "indexer", "0", "MKSTREAM");
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await appendEvent(context.redis.client, domain, closed(i), options));
    // The group reads and acknowledges the first 10, then falls behind.
    const read = await readGroup(context, stream, "indexer", 10);
    await context.redis.client.xack(stream, "indexer", ...read);
    const behind: string[][] = [];
    for (let i = 20; i < 400; i++) {
      ids.push(
        await appendEvent(context.redis.client, domain, closed(i), {
          ...options,
          onGroupsBehind: ({ groups }) => behind.push(groups),
        }),
      );
    }
    const first = await context.redis.client.xrange(stream, "-", "+", "COUNT", 1);
    assert.is(first[0]?.[0], ids[10], "the first unread entry is still there");
    assert.ok(behind.length > 0 && behind.every((groups) => groups.join() === "indexer"));

    // Once the group has caught up, the stream goes back to about maxLen.
    for (;;) {
      const more = await readGroup(context, stream, "indexer", 100);
      if (more.length === 0) break;
      await context.redis.client.xack(stream, "indexer", ...more);
    }
    await appendEvent(context.redis.client, domain, closed(400), options);
    const length = await context.redis.client.xlen(stream);
    assert.ok(length >= 100 && length <= 111, `length ${length}`);
  },
);

Trim("an entry delivered to a group but not acknowledged is never trimmed", async (context) => {
  const domain = `pending${++seq}`;
  const stream = streamKey(StreamKind.event, domain, context.redis.namespace);
  await context.redis.client.xgroup("CREATE", stream, "a", "0", "MKSTREAM");
  await context.redis.client.xgroup("CREATE", stream, "b", "0", "MKSTREAM");
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) ids.push((await context.redis.client.xadd(stream, "*", "n", String(i))) ?? "");
  // Group a reads everything and acknowledges all but entry 5; group b reads and acknowledges everything.
  const readA = await readGroup(context, stream, "a", 50);
  await context.redis.client.xack(stream, "a", ...readA.filter((id) => id !== ids[5]));
  await context.redis.client.xack(stream, "b", ...(await readGroup(context, stream, "b", 50)));
  const result = await trimStream(context.redis.client, stream, { keep: 10, withoutGroups: "cap" });
  assert.equal(result.heldBy, ["a"]);
  assert.is(result.removed, 5);
  const first = await context.redis.client.xrange(stream, "-", "+", "COUNT", 1);
  assert.is(first[0]?.[0], ids[5]);
});

Trim("a command stream without a consumer group is left alone", async (context) => {
  const stream = streamKey(StreamKind.command, `nogroup${++seq}`, context.redis.namespace);
  for (let i = 0; i < 5; i++) await context.redis.client.xadd(stream, "*", "n", String(i));
  const result = await trimStream(context.redis.client, stream, { keep: 0, withoutGroups: "keep" });
  assert.is(result.removed, 0);
  assert.is(await context.redis.client.xlen(stream), 5);
});

Trim("a command stream is trimmed once every group has acknowledged its entries", async (context) => {
  const domain = `cmd${++seq}`;
  const stream = streamKey(StreamKind.command, domain, context.redis.namespace);
  // A second group (an auditor, say) that has not read anything yet holds every entry.
  await context.redis.client.xgroup("CREATE", stream, "auditor", "0", "MKSTREAM");
  const handled: string[] = [];
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "signer",
    consumer: "c1",
    blockMs: 20,
    claimIntervalMs: 20,
    handle: async (command) => {
      handled.push(command.commandId);
    },
  });
  await consumer.start();
  try {
    for (let i = 0; i < 8; i++) {
      await context.redis.client.xadd(stream, "*", "id", `c${i}`, "type", "Test", "payload", "{}", "at", "1");
    }
    await waitFor("8 commands handled", () => handled.length === 8);
    assert.is(await context.redis.client.xlen(stream), 8, "the auditor has read nothing");
    const read = await readGroup(context, stream, "auditor", 8);
    await context.redis.client.xack(stream, "auditor", ...read.slice(0, 6));
    await waitFor("the 6 entries both groups acknowledged trimmed", async () => {
      return (await context.redis.client.xlen(stream)) === 2;
    });
    // The auditor's two unacknowledged entries stay.
    const left = await context.redis.client.xrange(stream, "-", "+");
    assert.equal(
      left.map(([id]) => id),
      read.slice(6),
    );
  } finally {
    await consumer.dispose();
  }
});

Trim.run();
