import type { ChaincodeEvent } from "@hyperledger/fabric-gateway";
import { MikroORM } from "@mikro-orm/mariadb";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  ChainCheckpoint,
  type ChainClient,
  createChainClient,
  createSqlCheckpointer,
  decodeChainEvent,
  followBlocks,
  followChaincodeEvents,
  parseConnectionProfile,
  type SigningIdentity,
} from "../src/index.js";
import { adminOf, startDevpeer, userOf } from "./devpeer.helpers.js";

const dbName = "clearbook_test_client_events";
type Context = {
  devpeer: Awaited<ReturnType<typeof startDevpeer>>;
  chain: ChainClient;
  orm: MikroORM;
  user: SigningIdentity;
};
const events = suite<Context>("event followers with a MySQL checkpoint");

events.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: adminOf(context.devpeer),
  });
  context.user = (await userOf(context.devpeer, "eve")).signer;
  context.orm = await MikroORM.init({
    clientUrl: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306",
    dbName,
    entities: [ChainCheckpoint],
    allowGlobalContext: false,
    ensureDatabase: { create: true },
  });
  await context.orm.schema.drop();
  await context.orm.schema.create();
});

events.after(async ({ chain, devpeer, orm }) => {
  chain.dispose();
  await devpeer.cleanup();
  await orm.schema.dropDatabase(dbName);
  await orm.close();
});

/** Collects `count` items from a follower, or fails after `timeoutMs`. */
function collect<T>(
  start: (handle: (item: T) => Promise<void>) => { dispose(): Promise<void> },
  count: number,
  timeoutMs = 5_000,
) {
  return new Promise<T[]>((resolve, reject) => {
    const items: T[] = [];
    const timer = setTimeout(() => {
      void follower.dispose().then(() => reject(new Error(`got ${items.length} of ${count} items in ${timeoutMs} ms`)));
    }, timeoutMs);
    const follower = start(async (item) => {
      items.push(item);
      if (items.length === count) {
        clearTimeout(timer);
        // Resolve after this handler returns, so its checkpoint is written.
        setImmediate(() => void follower.dispose().then(() => resolve(items)));
      }
    });
  });
}

events("resumes after the last event a stopped indexer finished, without repeats", async ({ chain, orm, user }) => {
  for (const address of ["eve-1", "eve-2", "eve-3"]) await chain.submit(user, "token:OpenAccount", [address]);
  const first = await createSqlCheckpointer(orm.em, "test-indexer");
  const seen = await collect<ChaincodeEvent>(
    (handle) => followChaincodeEvents(chain, { checkpointer: first, startBlock: 0n, handle }),
    2,
  );
  assert.equal(
    seen.map((e) => decodeChainEvent(e)?.name),
    ["TokenAccountOpened", "TokenAccountOpened"],
  );

  await chain.submit(user, "token:OpenAccount", ["eve-4"]);
  const restarted = await createSqlCheckpointer(orm.em, "test-indexer");
  assert.is(restarted.getTransactionId(), seen[1]?.transactionId);
  const rest = await collect<ChaincodeEvent>(
    (handle) => followChaincodeEvents(chain, { checkpointer: restarted, startBlock: 0n, handle }),
    2,
  );
  const addresses = rest.map((e) => {
    const decoded = decodeChainEvent(e);
    return decoded?.name === "TokenAccountOpened" ? decoded.payload.account.address : undefined;
  });
  assert.equal(addresses, ["eve-3", "eve-4"]);
});

events("follows whole blocks from a checkpoint", async ({ chain, orm }) => {
  const checkpointer = await createSqlCheckpointer(orm.em, "test-explorer");
  const blocks = await collect<{ getHeader(): { getNumber(): number } | undefined }>(
    (handle) => followBlocks(chain, { checkpointer, startBlock: 0n, handle }),
    3,
  );
  assert.equal(
    blocks.map((b) => b.getHeader()?.getNumber()),
    [0, 1, 2],
  );
  assert.is((await createSqlCheckpointer(orm.em, "test-explorer")).getBlockNumber(), 3n);
});

events("reconnects to the next endpoint when the stream's peer is down", async ({ devpeer, orm }) => {
  const profile = parseConnectionProfile({
    ...devpeer.connectionProfile,
    endpoint: undefined,
    endpoints: ["127.0.0.1:15202", devpeer.address],
  });
  const failover = createChainClient({ profile, reader: adminOf(devpeer) });
  const errors: unknown[] = [];
  try {
    const checkpointer = await createSqlCheckpointer(orm.em, "test-failover");
    const blocks = await collect<{ getHeader(): { getNumber(): number } | undefined }>(
      (handle) =>
        followBlocks(failover, {
          checkpointer,
          startBlock: 0n,
          handle,
          retryDelayMs: 10,
          onError: (e) => errors.push(e),
        }),
      2,
    );
    assert.equal(
      blocks.map((b) => b.getHeader()?.getNumber()),
      [0, 1],
    );
    assert.ok(errors.length >= 1, "the first endpoint failed first");
  } finally {
    failover.dispose();
  }
});

events.run();
