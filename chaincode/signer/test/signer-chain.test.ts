import { randomBytes } from "node:crypto";
import {
  type ChainClient,
  createChainClient,
  decodeResult,
  identityOf,
  parseConnectionProfile,
  privateKeySigner,
} from "@clearbook/client";
import { issueIdentity } from "@clearbook/devpeer";
import { createMetrics, createRedis, type RedisHandle, type ServiceMetrics } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  createDevCaEnroller,
  createLocalKeyWrapper,
  createSigner,
  SignedTx,
  type Signer,
  serveMetrics,
} from "../src/index.js";
import { enqueueChainCommand, enrollUsers, outcomes, startDevpeer } from "./chain.helpers.js";
import { addCommand, createTestOrm, REDIS_URL, TEST_COMMAND_KEYS, waitFor } from "./helpers.js";

const ns = `test:signer:chain:${process.pid}:`;
const CMD = `${ns}cmd:wallet`;
const EVT = `${ns}evt:chain`;

type Context = {
  devpeer: Awaited<ReturnType<typeof startDevpeer>>;
  orm: Awaited<ReturnType<typeof createTestOrm>>;
  redis: RedisHandle;
  chain: ChainClient;
  signer: Signer;
  certs: Map<string, string>;
  metrics: ServiceMetrics;
};
const signing = suite<Context>("signer against the devpeer");

signing.before(async (context) => {
  context.metrics = createMetrics("signer-test", { defaultMetrics: false });
  context.devpeer = await startDevpeer();
  context.orm = await createTestOrm("chain");
  context.redis = await createRedis(REDIS_URL, "signer-chain-test");
  const { admin, ca } = context.devpeer.credentials;
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: { identity: identityOf("ClearbookMSP", admin.certificatePem), sign: privateKeySigner(admin.privateKeyPem) },
  });
  context.signer = createSigner({
    orm: context.orm,
    redis: context.redis.client,
    chain: context.chain,
    wrapper: createLocalKeyWrapper(randomBytes(32)),
    enroller: createDevCaEnroller({ caCertPem: ca.certificatePem, caKeyPem: ca.privateKeyPem }),
    mspId: "ClearbookMSP",
    commandKeys: TEST_COMMAND_KEYS,
    consumerName: "chain-test",
    concurrency: 16,
    blockMs: 50,
    namespace: ns,
    domains: ["wallet"],
    metrics: context.metrics,
  });
  context.certs = await enrollUsers(context.devpeer, context.signer.vault, [
    { userId: "ops-admin", role: "admin" },
    { userId: "walt" },
  ]);
  await context.signer.worker.start();
});

signing.after(async ({ devpeer, orm, redis, chain, signer }) => {
  await signer.dispose();
  chain.dispose();
  const keys = await redis.client.keys(`${ns}*`);
  if (keys.length > 0) await redis.client.del(...keys);
  await redis.dispose();
  await orm.drop();
  await devpeer.cleanup();
});

const outcomeOf = (redis: RedisHandle, commandId: string) =>
  waitFor(async () => (await outcomes(redis.client, EVT)).get(commandId), 10_000, `outcome of ${commandId}`);

signing(
  "commits a service-prepared command under the transaction id the service announced",
  async ({ redis, chain, certs, orm }) => {
    const { commandId, txId } = await enqueueChainCommand(redis.client, chain, CMD, {
      userId: "walt",
      certPem: certs.get("walt") ?? "",
      transaction: "token:OpenAccount",
      args: ["walt-wallet"],
    });
    const outcome = await outcomeOf(redis, commandId);
    assert.is(outcome.type, "TransactionCommitted");
    assert.is(outcome.data.txId, txId);
    assert.is(outcome.data.originalTxId, txId);
    assert.is(outcome.data.validationCode, "VALID");
    assert.is((JSON.parse(String(outcome.data.result)) as { owner: string }).owner, "walt");
    // The outcome is published while the signer records it: the row is final by the time the command is acked.
    const row = await waitFor(
      async () => {
        const found = await orm.fork().findOneOrFail(SignedTx, { commandId });
        return found.status === "COMMITTED" ? found : undefined;
      },
      10_000,
      `signed_tx of ${commandId} COMMITTED`,
    );
    assert.is(row.envelope, null, "the envelope is dropped once the outcome is final");
  },
);

signing("re-proposes a command that lost an MVCC race, so both writes land", async ({ redis, chain, certs }) => {
  const admin = { userId: "ops-admin", certPem: certs.get("ops-admin") ?? "" };
  const commands = await Promise.all(
    Array.from({ length: 10 }, (_, i) => `m${i}`).map((mintId) =>
      enqueueChainCommand(redis.client, chain, CMD, {
        ...admin,
        transaction: "token:Mint",
        args: [mintId, "walt-wallet", "25"],
      }),
    ),
  );
  const results = await Promise.all(commands.map((c) => outcomeOf(redis, c.commandId)));
  assert.equal(
    results.map((r) => r.type),
    Array(10).fill("TransactionCommitted"),
  );
  const account = decodeResult(await chain.evaluate("token:GetAccount", ["walt-wallet"])) as { balance: string };
  assert.is(account.balance, "250");
  const retried = results.filter((r) => r.data.txId !== r.data.originalTxId);
  // Ten mints to one account endorsed together: all but the first to commit read a stale balance.
  assert.ok(retried.length >= 1, "some command needed a fresh proposal");
  for (const r of retried) assert.ok(Number(r.data.attempts) > 1);
});

signing("reports a chaincode refusal once, as final, without retrying", async ({ redis, chain, certs, signer }) => {
  const before = signer.worker.stats().wallet?.failed ?? 0;
  const { commandId } = await enqueueChainCommand(redis.client, chain, CMD, {
    userId: "walt",
    certPem: certs.get("walt") ?? "",
    transaction: "token:Transfer",
    args: ["t1", "walt-wallet", "nobody-wallet", "1000000"],
  });
  const outcome = await outcomeOf(redis, commandId);
  assert.is(outcome.type, "TransactionRejected");
  assert.is(outcome.data.inBlock, false);
  assert.ok(["NOT_FOUND", "INSUFFICIENT_FUNDS"].includes(String(outcome.data.reason)), String(outcome.data.reason));
  assert.is(signer.worker.stats().wallet?.failed ?? 0, before, "acked, not failed: it will not be redelivered");
});

signing(
  "publishes the recorded outcome again for a redelivered finished command, without a new transaction",
  async ({ redis, chain, certs, devpeer }) => {
    const command = {
      userId: "walt",
      certPem: certs.get("walt") ?? "",
      transaction: "token:OpenAccount",
      args: ["walt-savings"],
      commandId: "redelivered-1",
    };
    await enqueueChainCommand(redis.client, chain, CMD, command);
    const first = await outcomeOf(redis, command.commandId);
    const height = devpeer.height();
    await redis.client.del(EVT);
    await enqueueChainCommand(redis.client, chain, CMD, command);
    const second = await outcomeOf(redis, command.commandId);
    assert.is(second.type, "TransactionCommitted");
    assert.is(second.data.txId, first.data.txId);
    assert.is(devpeer.height(), height, "no new block");
  },
);

signing("dead-letters a command whose proposal is not for what the command says", async ({ redis, chain, certs }) => {
  const { proposalBytes, txId } = chain.prepareProposal({
    identity: identityOf("ClearbookMSP", certs.get("walt") ?? ""),
    transaction: "token:OpenAccount",
    args: ["walt-other"],
  });
  const commandId = "mismatched-1";
  const payload = {
    userId: "walt",
    txId,
    proposal: Buffer.from(proposalBytes).toString("base64"),
    transaction: "token:Transfer",
    args: ["t9", "walt-wallet", "ops-wallet", "1"],
  };
  await addCommand(redis.client, CMD, { id: commandId, type: "Transfer", payload: JSON.stringify(payload), at: "1" });
  const dead = await waitFor(
    async () => {
      const entries = await redis.client.xrange(`${ns}dlq:wallet`, "-", "+");
      return entries.find(([, fields]) => fields.includes(commandId));
    },
    10_000,
    "the dead letter",
  );
  assert.match(dead[1][dead[1].indexOf("reason") + 1] ?? "", /^BAD_COMMAND: the proposal calls token:OpenAccount/);
});

signing(
  "re-proposes a command prepared with a certificate the user no longer holds",
  async ({ redis, chain, devpeer }) => {
    const stale = await issueIdentity(devpeer.credentials.ca, { userId: "walt", role: "user" });
    const { commandId, txId } = await enqueueChainCommand(redis.client, chain, CMD, {
      userId: "walt",
      certPem: stale.certificatePem,
      transaction: "token:OpenAccount",
      args: ["walt-stale"],
    });
    const outcome = await outcomeOf(redis, commandId);
    assert.is(outcome.type, "TransactionCommitted");
    assert.is(outcome.data.originalTxId, txId);
    assert.is.not(outcome.data.txId, txId, "signed under a fresh proposal with the vault's certificate");
  },
);

signing("exports outcomes, stages and stream entries as Prometheus metrics", async ({ metrics }) => {
  const server = await serveMetrics(metrics, 0, "127.0.0.1");
  try {
    const { port } = server.address() as { port: number };
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(text, /signer_outcomes_total\{type="TransactionCommitted",reason="",service="signer-test"\} \d+/);
    assert.match(text, /signer_outcomes_total\{type="TransactionRejected",reason="[A-Z_]+",service="signer-test"\} 1/);
    assert.match(text, /signer_stage_seconds_count\{service="signer-test",stage="endorse"\} \d+/);
    assert.match(
      text,
      /stream_entries_total\{stream="[^"]+cmd:wallet",group="signer",outcome="handled",service="signer-test"\} \d+/,
    );
    assert.is((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  } finally {
    server.close();
  }
});

signing.run();
