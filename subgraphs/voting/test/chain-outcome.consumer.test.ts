import type { OrmHandle, StreamConsumer } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createChainOutcomeConsumer } from "../src/chain/chain-outcome.consumer.js";
import { createIdentityCache } from "../src/chain/identity-cache.js";
import { MemberIdentity } from "../src/db/member-identity.entity.js";
import { Vote } from "../src/db/vote.entity.js";
import { silentLogger } from "./fixtures.js";
import { certOf, T0, testOrm, testRedis, txId, uuid } from "./helpers.js";

type Ctx = {
  orm: OrmHandle & { dispose(): Promise<void> };
  redis: Awaited<ReturnType<typeof testRedis>>;
  consumer: StreamConsumer;
  identities: ReturnType<typeof createIdentityCache>;
};

const outcomes = suite<Ctx>("evt:chain outcomes");

outcomes.before(async (ctx) => {
  ctx.orm = await testOrm("outcomes");
  ctx.redis = await testRedis("outcomes");
  ctx.identities = createIdentityCache();
  ctx.consumer = createChainOutcomeConsumer({
    identities: ctx.identities,
    orm: ctx.orm,
    redis: ctx.redis.client,
    logger: silentLogger,
    consumer: "test-1",
    namespace: ctx.redis.namespace,
  });
  await ctx.consumer.start();
});
outcomes.after(async (ctx) => {
  await ctx.consumer.dispose();
  await ctx.orm.dispose();
  await ctx.redis.dispose();
});

/** Appends an entry as the signer does: `type`, `data` (JSON), `at`. */
const publish = (ctx: Ctx, type: string, data: unknown) =>
  ctx.redis.client.xadd(
    `${ctx.redis.namespace}evt:chain`,
    "*",
    "type",
    type,
    "data",
    JSON.stringify(data),
    "at",
    String(T0),
  );

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

outcomes("keeps the certificate of each user the signer enrolls", async (ctx) => {
  const userId = uuid();
  await publish(ctx, "IdentityEnrolled", {
    commandId: "c1",
    userId,
    mspId: "ClearbookMSP",
    role: "user",
    certPem: certOf(userId),
  });
  await eventually(
    "the identity row and its cache entry",
    async () => (await ctx.orm.fork().count(MemberIdentity, { userId })) === 1 && !!ctx.identities.get(userId),
  );
  assert.is((await ctx.orm.fork().findOneOrFail(MemberIdentity, { userId })).certPem, certOf(userId));
  assert.equal(
    ctx.identities.get(userId),
    { mspId: "ClearbookMSP", certPem: certOf(userId) },
    "cached for this replica's proposals",
  );
});

outcomes("a vote the chain refused stops being the member's pending vote", async (ctx) => {
  const em = ctx.orm.fork();
  const refused = txId();
  em.create(Vote, {
    txId: refused,
    ballotId: uuid(),
    userId: uuid(),
    choice: "APPROVE",
    status: "PENDING",
    createdAt: new Date(T0),
    committedAt: null,
    blockNumber: null,
  });
  await em.flush();
  await publish(ctx, "TransactionCommitted", {
    txId: txId(),
    blockNumber: "3",
    validationCode: "VALID",
    function: "org:CreateOrganization",
  });
  await publish(ctx, "TransactionRejected", {
    txId: refused,
    originalTxId: refused,
    blockNumber: "0",
    validationCode: "NOT_ENDORSED",
    function: "voting:CastVote",
    reason: "BALLOT_CLOSED",
    commandId: refused,
    userId: "u",
    attempts: 1,
    inBlock: false,
    message: "closed",
  });
  await eventually(
    "the vote marked rejected",
    async () => (await ctx.orm.fork().findOneOrFail(Vote, { txId: refused })).status === "REJECTED",
  );
});

outcomes.run();
