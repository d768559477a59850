import { randomBytes, randomUUID } from "node:crypto";
import { createChainClient, identityOf, parseConnectionProfile, privateKeySigner } from "@clearbook/client";
import { createRedis, parseEntryList, type RedisHandle } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createDevCaEnroller, createLocalKeyWrapper, createSigner, type Signer } from "../src/index.js";
import { addCommand, createTestCa, createTestOrm, REDIS_URL, TEST_COMMAND_KEYS, waitFor } from "./helpers.js";

const ns = `test:signer:worker:${process.pid}:`;

type Context = {
  orm: Awaited<ReturnType<typeof createTestOrm>>;
  redis: RedisHandle;
  signer: Signer;
  chain: ReturnType<typeof createChainClient>;
};
const worker = suite<Context>("signer worker without a chain");

worker.before(async (context) => {
  context.orm = await createTestOrm("worker");
  context.redis = await createRedis(REDIS_URL, "signer-test");
  const ca = await createTestCa();
  const enroller = createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem });
  const reader = await enroller.enroll({ userId: "reader", role: "service" });
  // Nothing listens here: these tests never reach the chain.
  const profile = parseConnectionProfile({
    endpoint: "127.0.0.1:15299",
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
    commandKeys: TEST_COMMAND_KEYS,
    consumerName: "worker-test",
    concurrency: 8,
    blockMs: 50,
    namespace: ns,
    domains: ["ledger", "signer"],
  });
  await context.signer.worker.start();
});

worker.after(async ({ orm, redis, signer, chain }) => {
  await signer.dispose();
  chain.dispose();
  const keys = await redis.client.keys(`${ns}*`);
  if (keys.length > 0) await redis.client.del(...keys);
  await redis.dispose();
  await orm.drop();
});

async function enqueue(redis: RedisHandle, domain: string, type: string, commandId: string, payload: unknown) {
  await addCommand(redis.client, `${ns}cmd:${domain}`, {
    id: commandId,
    type,
    payload: JSON.stringify(payload),
    at: String(Date.now()),
  });
}

async function findEntry(redis: RedisHandle, stream: string, field: string, value: string) {
  const entries = parseEntryList(await redis.client.xrange(stream, "-", "+"));
  return entries.find((e) => e.fields?.[field] === value || e.fields?.data?.includes(`"${value}"`));
}

worker("dead-letters a command for a user whose key is missing, saying so", async ({ redis }) => {
  const commandId = randomUUID();
  await enqueue(redis, "ledger", "SubmitDeposit", commandId, {
    userId: "ghost",
    transaction: "ledger:SubmitDeposit",
    args: ["e1", "org1", "Fair", "2026", "1", "500", "[]"],
  });
  const dead = await waitFor(() => findEntry(redis, `${ns}dlq:ledger`, "commandId", commandId), 5_000, "dead letter");
  assert.match(dead.fields?.reason ?? "", /^KEY_NOT_FOUND: .*ghost/);
  assert.is(dead.fields?.attempts, "1", "no retries: a missing key does not come back by itself");
});

worker(
  "a dead-lettered chain command still gets an outcome: TransactionRejected, DEAD_LETTERED, with the reason",
  async ({ redis }) => {
    const commandId = randomUUID();
    const txId = randomBytes(32).toString("hex");
    await enqueue(redis, "ledger", "ApproveDeposit", commandId, {
      userId: "ghost",
      txId,
      transaction: "ledger:ApproveDeposit",
      args: ["e1"],
    });
    const outcome = await waitFor(() => findEntry(redis, `${ns}evt:chain`, "commandId", commandId), 5_000, "outcome");
    assert.is(outcome.fields?.type, "TransactionRejected");
    const data = JSON.parse(outcome.fields?.data ?? "{}") as Record<string, unknown>;
    assert.is(data.txId, txId, "the outcome names the transaction the service announced");
    assert.is(data.validationCode, "DEAD_LETTERED");
    assert.is(data.inBlock, false);
    assert.match(String(data.message), /KEY_NOT_FOUND/);
    // The outcome goes first (a failed append leaves the entry pending), then the dead letter.
    await waitFor(() => findEntry(redis, `${ns}dlq:ledger`, "commandId", commandId), 5_000, "the dead letter");
  },
);

worker("dead-letters a command that is not a chain submission", async ({ redis }) => {
  const commandId = randomUUID();
  await enqueue(redis, "ledger", "SubmitDeposit", commandId, { userId: "x", transaction: "nonsense", args: [1] });
  const dead = await waitFor(() => findEntry(redis, `${ns}dlq:ledger`, "commandId", commandId), 5_000, "dead letter");
  assert.match(dead.fields?.reason ?? "", /^BAD_COMMAND: /);
});

worker("enrolls a user once and announces the certificate each time", async ({ redis, signer }) => {
  const first = randomUUID();
  const second = randomUUID();
  await enqueue(redis, "signer", "EnrollUser", first, { userId: "newcomer", role: "user" });
  const a = await waitFor(() => findEntry(redis, `${ns}evt:chain`, "commandId", first), 5_000, "IdentityEnrolled");
  await enqueue(redis, "signer", "EnrollUser", second, { userId: "newcomer", role: "user" });
  const b = await waitFor(
    () => findEntry(redis, `${ns}evt:chain`, "commandId", second),
    5_000,
    "second IdentityEnrolled",
  );
  const payloadA = JSON.parse(a.fields?.data ?? "{}") as { certPem: string };
  const payloadB = JSON.parse(b.fields?.data ?? "{}") as { certPem: string };
  assert.is(a.fields?.type, "IdentityEnrolled");
  assert.match(payloadA.certPem, /BEGIN CERTIFICATE/);
  assert.is(payloadB.certPem, payloadA.certPem);
  assert.is((await signer.vault.certificate("newcomer"))?.certPem, payloadA.certPem);
});

worker.run();
