import { randomBytes, randomUUID } from "node:crypto";
import { createChainClient, identityOf, parseConnectionProfile, privateKeySigner } from "@clearbook/client";
import { createRedis, parseEntryList, type RedisHandle, signCommandEntry } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createDevCaEnroller, createLocalKeyWrapper, createSigner, type Signer } from "../src/index.js";
import { addCommand, createTestCa, createTestOrm, REDIS_URL, TEST_COMMAND_KEYS, waitFor } from "./helpers.js";

const ns = `test:signer:auth:${process.pid}:`;
const SKEW_MS = 120_000;

type Context = {
  orm: Awaited<ReturnType<typeof createTestOrm>>;
  redis: RedisHandle;
  signer: Signer;
  chain: ReturnType<typeof createChainClient>;
  /** Added to the signer's clock (the skew test moves it). */
  offset: { ms: number };
};
const auth = suite<Context>("the signer acts only on authentic, allowed commands");

auth.before(async (context) => {
  context.offset = { ms: 0 };
  context.orm = await createTestOrm("auth");
  context.redis = await createRedis(REDIS_URL, "signer-auth-test");
  const ca = await createTestCa();
  const enroller = createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem });
  const reader = await enroller.enroll({ userId: "reader", role: "service" });
  // Nothing listens here: every command below is refused before it could reach a peer.
  const profile = parseConnectionProfile({
    endpoint: "127.0.0.1:15298",
    channel: "clearbook",
    chaincode: "clearbook",
    mspId: "ClearbookMSP",
  });
  context.chain = createChainClient({
    profile,
    reader: { identity: identityOf("ClearbookMSP", reader.certPem), sign: privateKeySigner(reader.keyPem) },
  });
  context.signer = createSigner({
    orm: context.orm,
    redis: context.redis.client,
    chain: context.chain,
    wrapper: createLocalKeyWrapper(randomBytes(32)),
    enroller,
    mspId: "ClearbookMSP",
    consumerName: "auth-test",
    commandKeys: TEST_COMMAND_KEYS,
    maxProposalSkewMs: SKEW_MS,
    clock: { now: () => Date.now() + context.offset.ms },
    concurrency: 8,
    blockMs: 50,
    namespace: ns,
    domains: ["ledger", "voting", "signer"],
  });
  await context.signer.worker.start();
});

auth.after(async ({ orm, redis, signer, chain }) => {
  await signer.dispose();
  chain.dispose();
  const keys = await redis.client.keys(`${ns}*`);
  if (keys.length > 0) await redis.client.del(...keys);
  await redis.dispose();
  await orm.drop();
});

async function entryWith(redis: RedisHandle, stream: string, commandId: string) {
  const entries = parseEntryList(await redis.client.xrange(`${ns}${stream}`, "-", "+"));
  return entries.find((e) => e.fields?.commandId === commandId || e.fields?.data?.includes(`"${commandId}"`));
}

const deadLetter = (redis: RedisHandle, domain: string, commandId: string) =>
  waitFor(() => entryWith(redis, `dlq:${domain}`, commandId), 5_000, `the dead letter of ${commandId}`);

/** A user the vault holds a key for, and a proposal of theirs prepared now (as a service prepares one). */
async function proposalOf(ctx: Context, userId: string, transaction: string, args: string[]) {
  const { certPem } = await ctx.signer.enrollment.enroll({ userId, role: "user" });
  const { txId, proposalBytes } = ctx.chain.prepareProposal({
    identity: identityOf("ClearbookMSP", certPem),
    transaction,
    args,
  });
  return { userId, txId, proposal: Buffer.from(proposalBytes).toString("base64"), transaction, args };
}

/** Nothing was signed for the command: no `signed_tx` row. */
async function assertNothingSigned(ctx: Context, commandId: string) {
  assert.is(await ctx.signer.store.find(commandId), undefined, "no signed_tx row: nothing was signed");
}

auth(
  "refuses a forged entry (signed with a key that is not the ledger's): dead-lettered, nothing signed, no outcome",
  async (ctx) => {
    const commandId = randomUUID();
    const payload = JSON.stringify(await proposalOf(ctx, "mallory", "ledger:ApproveDeposit", ["e-forged"]));
    const fields = { id: commandId, type: "ledger:ApproveDeposit", payload, at: String(Date.now()) };
    const forged = signCommandEntry({ service: "ledger", key: randomBytes(32) }, "ledger", fields);
    await ctx.redis.client.xadd(`${ns}cmd:ledger`, "*", ...Object.entries(fields).flat(), ...forged);
    const dead = await deadLetter(ctx.redis, "ledger", commandId);
    assert.match(
      dead.fields?.reason ?? "",
      /UNAUTHENTICATED: the command entry's signature does not match service ledger/,
    );
    await assertNothingSigned(ctx, commandId);
    // Whoever forged it must not decide what the ledger is told about that command id.
    assert.is(await entryWith(ctx.redis, "evt:chain", commandId), undefined, "no outcome for a forged entry");
  },
);

auth("refuses an unsigned entry and one whose content changed after signing", async (ctx) => {
  const unsigned = randomUUID();
  const payload = JSON.stringify(await proposalOf(ctx, "mallory", "ledger:ApproveDeposit", ["e-unsigned"]));
  await addCommand(ctx.redis.client, `${ns}cmd:ledger`, { id: unsigned, type: "x", payload, at: "1" }, null);
  assert.match((await deadLetter(ctx.redis, "ledger", unsigned)).fields?.reason ?? "", /UNAUTHENTICATED: .*not signed/);

  const altered = randomUUID();
  const fields = { id: altered, type: "ledger:ApproveDeposit", payload, at: String(Date.now()) };
  const sig = signCommandEntry(
    { service: "ledger", key: TEST_COMMAND_KEYS.get("ledger") ?? Buffer.alloc(0) },
    "ledger",
    {
      ...fields,
      payload: payload.replace("e-unsigned", "e-other"),
    },
  );
  await ctx.redis.client.xadd(`${ns}cmd:ledger`, "*", ...Object.entries(fields).flat(), ...sig);
  assert.match(
    (await deadLetter(ctx.redis, "ledger", altered)).fields?.reason ?? "",
    /UNAUTHENTICATED: .*does not match/,
  );
  await assertNothingSigned(ctx, unsigned);
  await assertNothingSigned(ctx, altered);
});

auth("refuses an entry signed by a service that may not write the stream (voting's key on cmd:ledger)", async (ctx) => {
  const commandId = randomUUID();
  const payload = JSON.stringify(await proposalOf(ctx, "vera", "ledger:ApproveDeposit", ["e-voting"]));
  await addCommand(ctx.redis.client, `${ns}cmd:ledger`, { id: commandId, type: "x", payload, at: "1" }, "voting");
  const dead = await deadLetter(ctx.redis, "ledger", commandId);
  assert.match(dead.fields?.reason ?? "", /FORBIDDEN: service voting may not write cmd:ledger/);
  await assertNothingSigned(ctx, commandId);
});

auth(
  "refuses a transaction the stream may not request (token:Mint on cmd:voting): dead-lettered with an outcome, nothing signed",
  async (ctx) => {
    const commandId = randomUUID();
    const command = await proposalOf(ctx, "victor", "token:Mint", ["m-1", "victor-wallet", "1000000"]);
    await addCommand(ctx.redis.client, `${ns}cmd:voting`, {
      id: commandId,
      type: "token:Mint",
      payload: JSON.stringify(command),
      at: String(Date.now()),
    });
    const dead = await deadLetter(ctx.redis, "voting", commandId);
    assert.match(dead.fields?.reason ?? "", /FORBIDDEN: cmd:voting may not request token:Mint/);
    await assertNothingSigned(ctx, commandId);
    // Authentic but refused: the producing service learns it failed (DEAD_LETTERED), as for any dead letter.
    const outcome = await entryWith(ctx.redis, "evt:chain", commandId);
    const data = JSON.parse(outcome?.fields?.data ?? "{}") as Record<string, unknown>;
    assert.is(outcome?.fields?.type, "TransactionRejected");
    assert.is(data.validationCode, "DEAD_LETTERED");
    assert.is(data.txId, command.txId);
  },
);

auth("never enrolls an admin identity from a stream: dead-lettered, no identity issued", async (ctx) => {
  const commandId = randomUUID();
  await addCommand(ctx.redis.client, `${ns}cmd:signer`, {
    id: commandId,
    type: "EnrollUser",
    payload: JSON.stringify({ userId: "would-be-admin", role: "admin" }),
    at: String(Date.now()),
  });
  const dead = await deadLetter(ctx.redis, "signer", commandId);
  assert.match(dead.fields?.reason ?? "", /FORBIDDEN: a stream may not enroll "would-be-admin" as admin/);
  assert.is(await ctx.signer.vault.certificate("would-be-admin"), undefined, "no identity issued");
  assert.is(await entryWith(ctx.redis, "evt:chain", commandId), undefined, "no IdentityEnrolled");
});

auth("enrolls a service's own identity from its stream, never another service's", async (ctx) => {
  const own = randomUUID();
  const other = randomUUID();
  const enroll = (id: string, userId: string) =>
    addCommand(
      ctx.redis.client,
      `${ns}cmd:signer`,
      { id, type: "EnrollUser", payload: JSON.stringify({ userId, role: "service" }), at: String(Date.now()) },
      "voting",
    );
  await enroll(own, "service:voting");
  await enroll(other, "service:ledger");
  await waitFor(() => entryWith(ctx.redis, "evt:chain", own), 5_000, "IdentityEnrolled of service:voting");
  const dead = await deadLetter(ctx.redis, "signer", other);
  assert.match(dead.fields?.reason ?? "", /FORBIDDEN: a stream may not enroll "service:ledger" as service/);
  assert.is(await ctx.signer.vault.certificate("service:ledger"), undefined);
});

auth(
  "refuses a proposal whose timestamp is further than the allowed skew from the signer's clock: dead-lettered, nothing signed",
  async (ctx) => {
    const commandId = randomUUID();
    const command = await proposalOf(ctx, "sam", "ledger:ApproveDeposit", ["e-skewed"]);
    // The proposal was made now; the signer's clock reads ten minutes later (as if the proposal were old).
    ctx.offset.ms = 10 * 60_000;
    try {
      await addCommand(ctx.redis.client, `${ns}cmd:ledger`, {
        id: commandId,
        type: "ledger:ApproveDeposit",
        payload: JSON.stringify(command),
        at: String(Date.now()),
      });
      const dead = await deadLetter(ctx.redis, "ledger", commandId);
      assert.match(
        dead.fields?.reason ?? "",
        /BAD_COMMAND: the proposal's timestamp is -600 s from the signer's clock/,
      );
      await assertNothingSigned(ctx, commandId);
      const outcome = await entryWith(ctx.redis, "evt:chain", commandId);
      assert.is(JSON.parse(outcome?.fields?.data ?? "{}").validationCode, "DEAD_LETTERED");
    } finally {
      ctx.offset.ms = 0;
    }
  },
);

auth.run();
