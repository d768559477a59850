import { suite } from "uvu";
import * as assert from "uvu/assert";
import { z } from "zod";
import { ManualClock } from "../src/clock.js";
import { appendEvent, coreEventSchemas, defineEvents, EventParseError, parseEvent } from "../src/events.js";
import { parseEntryList, StreamKind, streamKey } from "../src/streams.js";
import { testRedis } from "./helpers.js";

interface Context {
  redis: Awaited<ReturnType<typeof testRedis>>;
}
const Events = suite<Context>("domain events", {} as Context);

Events.before(async (context) => {
  context.redis = await testRedis("events");
});
Events.after(async ({ redis }) => {
  await redis.dispose();
});

async function readAll({ redis }: Context, domain: string) {
  return parseEntryList(await redis.client.xrange(streamKey(StreamKind.event, domain, redis.namespace), "-", "+"));
}

Events("appends a typed event and parses it back", async (context) => {
  const clock = new ManualClock(1_700_000_000_000);
  const data = {
    ballotId: "b1",
    orgId: "o1",
    approve: 3,
    reject: 1,
    eligible: 10,
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
  const id = await appendEvent(
    context.redis.client,
    "voting",
    { type: "VoteTallyChanged", data },
    { namespace: context.redis.namespace, clock },
  );
  const [entry] = await readAll(context, "voting");
  assert.is(entry?.id, id);
  const event = parseEvent(entry?.id ?? "", entry?.fields ?? null);
  assert.equal(event, { id, at: 1_700_000_000_000, type: "VoteTallyChanged", data });
});

Events("refuses to append data that does not match the schema", async (context) => {
  try {
    await appendEvent(
      context.redis.client,
      "ledger",
      // @ts-expect-error entryId is missing on purpose
      { type: "LedgerEntryChanged", data: { orgId: "o1" } },
      { namespace: context.redis.namespace },
    );
    assert.unreachable();
  } catch (error) {
    assert.instance(error, EventParseError);
  }
  assert.is((await readAll(context, "ledger")).length, 0);
});

const refusals: Array<[string, Record<string, string> | null]> = [
  ["a deleted entry", null],
  ["an unknown type", { type: "Nope", data: "{}", at: "1" }],
  ["data that is not JSON", { type: "BallotClosed", data: "{", at: "1" }],
  ["data of the wrong shape", { type: "BallotClosed", data: '{"ballotId":1}', at: "1" }],
];
for (const [name, fields] of refusals) {
  Events(`parseEvent refuses ${name}`, () => {
    assert.throws(
      () => parseEvent("1-0", fields),
      (error: unknown) => error instanceof EventParseError,
    );
  });
}

Events("services extend the registry with their own events", async (context) => {
  const registry = defineEvents({ ...coreEventSchemas, DropSoldOut: z.object({ dropId: z.string() }) });
  await appendEvent(
    context.redis.client,
    "marketplace",
    { type: "DropSoldOut", data: { dropId: "d1" } },
    { registry, namespace: context.redis.namespace },
  );
  const [entry] = await readAll(context, "marketplace");
  const event = registry.parse(entry?.id ?? "", entry?.fields ?? null);
  assert.is(event.type, "DropSoldOut");
  if (event.type === "DropSoldOut") assert.is(event.data.dropId, "d1");
});

Events("trims the stream to about maxLen", async (context) => {
  for (let i = 0; i < 300; i++) {
    await appendEvent(
      context.redis.client,
      "trimmed",
      { type: "BallotClosed", data: { ballotId: `b${i}`, orgId: "o", status: "APPROVED" } },
      { namespace: context.redis.namespace, maxLen: 100 },
    );
  }
  const length = await context.redis.client.xlen(streamKey(StreamKind.event, "trimmed", context.redis.namespace));
  assert.ok(length >= 100 && length < 300, `length ${length}`);
});

Events.run();
