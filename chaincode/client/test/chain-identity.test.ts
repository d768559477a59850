import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDevpeer } from "@clearbook/devpeer";
import { MikroORM } from "@mikro-orm/mariadb";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  blockHeaderHash,
  type ChainClient,
  ChainIdentityRecord,
  ChainMismatchError,
  createChainClient,
  createChainGuard,
  followChaincodeEvents,
  parseConnectionProfile,
  type SigningIdentity,
} from "../src/index.js";
import { adminOf, startDevpeer, userOf } from "./devpeer.helpers.js";

const dbName = "clearbook_test_client_chain_identity";
type Context = {
  devpeer: Awaited<ReturnType<typeof startDevpeer>>;
  chain: ChainClient;
  orm: MikroORM;
  user: SigningIdentity;
};
const identity = suite<Context>("chain identity beside a checkpoint");

identity.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: adminOf(context.devpeer),
  });
  context.user = (await userOf(context.devpeer, "ida")).signer;
  context.orm = await MikroORM.init({
    clientUrl: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306",
    dbName,
    entities: [ChainIdentityRecord],
    allowGlobalContext: false,
    ensureDatabase: { create: true },
  });
  await context.orm.schema.drop();
  await context.orm.schema.create();
  for (const address of ["ida-1", "ida-2"]) await context.chain.submit(context.user, "token:OpenAccount", [address]);
});

identity.after(async ({ chain, devpeer, orm }) => {
  chain.dispose();
  await devpeer.cleanup();
  await orm.schema.dropDatabase(dbName);
  await orm.close();
});

/** Another devpeer (a chain started over, or another channel), its client and a cleanup. */
async function otherChain(channel?: string) {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-client-other-"));
  const devpeer = await createDevpeer({ dir, port: 0, ...(channel ? { channel } : {}) });
  const chain = createChainClient({
    profile: parseConnectionProfile(devpeer.connectionProfile),
    reader: adminOf(devpeer),
  });
  return {
    chain,
    async dispose() {
      chain.dispose();
      await devpeer.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

identity("a block's header hash is the next block's previous hash", async ({ chain }) => {
  const [one, two] = await Promise.all([chain.block(1n), chain.block(2n)]);
  assert.is(blockHeaderHash(one), Buffer.from(two.getHeader()?.getPreviousHash_asU8() ?? []).toString("hex"));
});

identity("records the chain it verified and accepts it again as it grows", async ({ chain, orm, user }) => {
  const guard = createChainGuard({ chain, em: orm.em, name: "same", fix: "npm run reindex" });
  await guard.verify(2n);
  await chain.submit(user, "token:OpenAccount", ["ida-3"]);
  await createChainGuard({ chain, em: orm.em, name: "same", fix: "npm run reindex" }).verify(3n);
  assert.is(guard.problem(), null);
  await guard.readiness.check();
});

identity("refuses a chain started over, naming both chains and the fix", async ({ chain, orm }) => {
  await createChainGuard({ chain, em: orm.em, name: "reset", fix: "npm run reindex" }).verify(2n);
  const other = await otherChain();
  try {
    const mismatches: ChainMismatchError[] = [];
    const guard = createChainGuard({
      chain: other.chain,
      em: orm.em,
      name: "reset",
      fix: "run `npm run reindex -- ledger`",
      onMismatch: (error) => mismatches.push(error),
    });
    const error = await guard.verify(2n).then(
      () => null,
      (e: unknown) => e,
    );
    assert.instance(error, ChainMismatchError);
    const message = (error as Error).message;
    assert.match(message, /shorter than the checkpoint|another chain/);
    assert.match(message, /npm run reindex -- ledger/);
    assert.match(message, /channel "clearbook"/);
    assert.is(mismatches.length, 1);
    let refused = false;
    await guard.readiness.check().catch(() => {
      refused = true;
    });
    assert.ok(refused, "readiness refuses while the chains differ");
    // The record is untouched: the original chain is still accepted.
    await createChainGuard({ chain, em: orm.em, name: "reset", fix: "-" }).verify(2n);
  } finally {
    await other.dispose();
  }
});

identity("refuses a chain whose block at the checkpoint has another hash", async ({ chain, orm }) => {
  const guard = createChainGuard({ chain, em: orm.em, name: "forged", fix: "npm run reindex" });
  await guard.verify(1n);
  await orm.em
    .fork()
    .getConnection()
    .execute("update chain_identity set block_hash = ? where name = 'forged'", ["0".repeat(64)]);
  const error = await guard.verify(1n).then(
    () => null,
    (e: unknown) => e,
  );
  assert.instance(error, ChainMismatchError);
  assert.match((error as Error).message, /block 1 has another hash/);
});

identity("refuses another channel with the same refusal", async ({ chain, orm }) => {
  await createChainGuard({ chain, em: orm.em, name: "channel", fix: "npm run reindex" }).verify(null);
  const other = await otherChain("elsewhere");
  try {
    const guard = createChainGuard({ chain: other.chain, em: orm.em, name: "channel", fix: "npm run reindex" });
    const error = await guard.verify(null).then(
      () => null,
      (e: unknown) => e,
    );
    assert.instance(error, ChainMismatchError);
    assert.match((error as Error).message, /channel "clearbook".*channel "elsewhere".*another channel/);
  } finally {
    await other.dispose();
  }
});

identity("a follower whose check fails never opens the stream", async ({ chain, orm }) => {
  const other = await otherChain();
  try {
    await createChainGuard({ chain, em: orm.em, name: "follow", fix: "-" }).verify(2n);
    const guard = createChainGuard({ chain: other.chain, em: orm.em, name: "follow", fix: "-" });
    let handled = 0;
    let failures = 0;
    const follower = followChaincodeEvents(other.chain, {
      checkpointer: {
        getBlockNumber: () => undefined,
        getTransactionId: () => undefined,
        checkpointBlock: async () => {},
        checkpointTransaction: async () => {},
        checkpointChaincodeEvent: async () => {},
      },
      startBlock: 0n,
      beforeOpen: () => guard.verify(2n),
      handle: async () => {
        handled++;
      },
      onError: () => {
        failures++;
      },
      retryDelayMs: 10,
    });
    const deadline = Date.now() + 5_000;
    while (failures < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await follower.dispose();
    assert.ok(failures >= 2, "the check runs again on every reconnect");
    assert.is(handled, 0);
  } finally {
    await other.dispose();
  }
});

identity.run();
