import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainClient,
  createChainClient,
  identityOf,
  parseConnectionProfile,
  privateKeySigner,
} from "@clearbook/client";
import { createDevpeer, type Devpeer } from "@clearbook/devpeer";
import { createRedis, type RedisHandle } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createDevCaEnroller, createLocalKeyWrapper, createSigner, type Signer } from "../src/index.js";
import { enqueueChainCommand, enrollUsers, outcomes } from "./chain.helpers.js";
import { createTestOrm, REDIS_URL, TEST_COMMAND_KEYS, waitFor } from "./helpers.js";

const ns = `test:signer:outage:${process.pid}:`;
const PORT = 15231;

type Context = {
  masterKey: Buffer;
  dir: string;
  devpeer: Devpeer | undefined;
  orm: Awaited<ReturnType<typeof createTestOrm>>;
  redis: RedisHandle;
  chain: ChainClient;
  signer: Signer;
  certs: Map<string, string>;
};
const outage = suite<Context>("signer through a peer outage");

outage.before(async (context) => {
  context.masterKey = randomBytes(32);
  context.dir = await mkdtemp(join(tmpdir(), "clearbook-signer-outage-"));
  context.devpeer = await createDevpeer({ dir: context.dir, port: PORT });
  context.orm = await createTestOrm("outage");
  context.redis = await createRedis(REDIS_URL, "signer-outage-test");
  const { admin, ca } = context.devpeer.credentials;
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: { identity: identityOf("ClearbookMSP", admin.certificatePem), sign: privateKeySigner(admin.privateKeyPem) },
    timeouts: { endorseMs: 1_000, submitMs: 1_000, commitStatusMs: 5_000 },
  });
  context.signer = createSigner({
    orm: context.orm,
    redis: context.redis.client,
    chain: context.chain,
    wrapper: createLocalKeyWrapper(context.masterKey),
    enroller: createDevCaEnroller({ caCertPem: ca.certificatePem, caKeyPem: ca.privateKeyPem }),
    mspId: "ClearbookMSP",
    commandKeys: TEST_COMMAND_KEYS,
    consumerName: "outage-test",
    concurrency: 4,
    blockMs: 50,
    claimIdleMs: 300,
    maxDeliveries: 50,
    namespace: ns,
    domains: ["wallet"],
  });
  context.certs = await enrollUsers(context.devpeer, context.signer.vault, [{ userId: "olga" }]);
  await context.signer.worker.start();
});

outage.after(async ({ dir, devpeer, orm, redis, chain, signer }) => {
  await signer.dispose();
  chain.dispose();
  const keys = await redis.client.keys(`${ns}*`);
  if (keys.length > 0) await redis.client.del(...keys);
  await redis.dispose();
  await orm.drop();
  await devpeer?.dispose();
  await rm(dir, { recursive: true, force: true });
});

outage("keeps a command pending while the peer is down and commits it once the peer is back", async (context) => {
  const { redis, chain, certs } = context;
  await context.devpeer?.dispose();
  context.devpeer = undefined;
  const { commandId, txId } = await enqueueChainCommand(redis.client, chain, `${ns}cmd:wallet`, {
    userId: "olga",
    certPem: certs.get("olga") ?? "",
    transaction: "token:OpenAccount",
    args: ["olga-wallet"],
  });
  // Let a few deliveries fail against the dead endpoint.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.ok(context.signer.worker.stats().wallet?.failed, "the command failed at least once");
  assert.not.ok((await outcomes(redis.client, `${ns}evt:chain`)).has(commandId), "no outcome while the peer is down");

  context.devpeer = await createDevpeer({ dir: context.dir, port: PORT });
  const outcome = await waitFor(
    async () => (await outcomes(redis.client, `${ns}evt:chain`)).get(commandId),
    15_000,
    "the outcome after the peer came back",
  );
  assert.is(outcome.type, "TransactionCommitted");
  assert.is(outcome.data.originalTxId, txId);
});

outage("dead-letters a command after the configured deliveries when the peer stays down", async (context) => {
  const short = createSigner({
    orm: context.orm,
    redis: context.redis.client,
    chain: context.chain,
    wrapper: createLocalKeyWrapper(context.masterKey),
    enroller: createDevCaEnroller({
      caCertPem: context.devpeer?.credentials.ca.certificatePem ?? "",
      caKeyPem: context.devpeer?.credentials.ca.privateKeyPem ?? "",
    }),
    mspId: "ClearbookMSP",
    commandKeys: TEST_COMMAND_KEYS,
    consumerName: "outage-short",
    group: "signer-short",
    concurrency: 2,
    blockMs: 50,
    claimIdleMs: 200,
    maxDeliveries: 2,
    namespace: ns,
    domains: ["withdrawal"],
  });
  await context.devpeer?.dispose();
  context.devpeer = undefined;
  try {
    const { commandId } = await enqueueChainCommand(context.redis.client, context.chain, `${ns}cmd:withdrawal`, {
      userId: "olga",
      certPem: context.certs.get("olga") ?? "",
      transaction: "token:BurnForWithdrawal",
      args: ["w-olga-1", "olga-savings", "1", "0x0000000000000000000000000000000000000001"],
    });
    await short.worker.start();
    const dead = await waitFor(
      async () => {
        const entries = await context.redis.client.xrange(`${ns}dlq:withdrawal`, "-", "+");
        return entries.find(([, fields]) => fields.includes(commandId));
      },
      15_000,
      "the dead letter",
    );
    const fields = dead[1];
    const reason = fields[fields.indexOf("reason") + 1] ?? "";
    assert.match(reason, /UNAVAILABLE|No connection/);
    assert.is(fields[fields.indexOf("attempts") + 1], "2");
  } finally {
    await short.dispose();
  }
});

outage.run();
