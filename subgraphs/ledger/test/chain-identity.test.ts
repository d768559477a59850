import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainClient,
  createChainClient,
  identityOf,
  loadConnectionProfile,
  privateKeySigner,
} from "@clearbook/client";
import { createDevpeer, type Devpeer } from "@clearbook/devpeer";
import { systemClock } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FabricIdentityEntity } from "../src/db/fabric-identity.entity.js";
import { reindexLedger } from "../src/indexer/reindex.js";
import { type ChainStack, startChainStack, waitFor } from "./chain-stack.js";

interface Ctx {
  s: ChainStack;
  orgId: string;
}

const test = suite<Ctx>("the ledger's read models know which chain they index (issue 24)");

test.before(async (ctx) => {
  ctx.s = await startChainStack("chainid");
  const admin = await ctx.s.app.services.sessions.signUp(
    ctx.s.db.fork(),
    { email: "admin@example.org", password: "a long password", displayName: "Admin" },
    "seed",
    ["ADMIN"],
  );
  await ctx.s.enrollAdmin(admin.user.id); // an operator's step: no stream may ask for an admin identity
  await waitFor(() => ctx.s.db.fork().findOne(FabricIdentityEntity, { userId: admin.user.id }), "the admin's identity");
  const created = await ctx.s.gql(
    `mutation($f: ID!) { createOrganization(name: "Student Council", founderId: $f) { id } }`,
    { f: admin.user.id },
    { sub: admin.user.id, roles: ["ADMIN"] },
  );
  assert.is(created.errors, undefined, JSON.stringify(created.errors));
  ctx.orgId = (created.data.createOrganization as { id: string }).id;
  await waitFor(async () => {
    const res = await ctx.s.gql(`{ organizations { id } }`);
    return (res.data.organizations as unknown[] | undefined)?.length === 1;
  }, "the organization to commit");
});

test.after(async (ctx) => {
  await ctx.s?.dispose();
});

/** What the read models say, in a stable order (the chain decides all of it). */
async function readModels(s: ChainStack) {
  const rows = async (sql: string) => (await s.db.fork().getConnection().execute(sql)) as Record<string, unknown>[];
  return JSON.parse(
    JSON.stringify({
      organizations: await rows("select id, name, status, tx_id from organizations order by id"),
      memberships: await rows("select org_id, user_id from memberships order by org_id, user_id"),
      entries: await rows("select id, status, amount from ledger_entries order by id"),
      transactions: await rows(
        "select tx_id, status, validation_code, block_number from chain_transactions order by tx_id",
      ),
    }),
  );
}

async function ready(s: ChainStack) {
  const res = await fetch(`${s.url}/ready`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
}

/** A fresh devpeer (its data wiped, or another channel) and a client as a restarted ledger would open it. */
async function freshChain(
  channel?: string,
): Promise<{ devpeer: Devpeer; chain: ChainClient; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ledger-devpeer-fresh-"));
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const devpeer = await createDevpeer({ dir, port: 0, logger: quiet, ...(channel ? { channel } : {}) });
  const profile = await loadConnectionProfile(devpeer.connectionProfilePath);
  const chain = createChainClient({
    profile,
    reader: {
      identity: identityOf(profile.mspId, await readFile(profile.admin?.certPath ?? "", "utf8")),
      sign: privateKeySigner(await readFile(profile.admin?.keyPath ?? "", "utf8")),
    },
  });
  return {
    devpeer,
    chain,
    async dispose() {
      chain.dispose();
      await devpeer.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test("reindex drops the read models and rebuilds them equal to what the chain says", async (ctx) => {
  const before = await readModels(ctx.s);
  assert.is(before.organizations.length, 1);
  await ctx.s.stopIndexer();
  const lines: string[] = [];
  await reindexLedger({
    db: ctx.s.db,
    chain: ctx.s.chainClient,
    redis: ctx.s.redis.client,
    clock: systemClock,
    logger: ctx.s.logger,
    namespace: ctx.s.ns,
    say: (line) => lines.push(line),
  });
  assert.equal(await readModels(ctx.s), before);
  assert.ok(
    lines.some((line) => /caught up/.test(line)),
    lines.join("\n"),
  );
  await ctx.s.startIndexer();
  assert.is((await ready(ctx.s)).status, 200);
});

test("on a wiped chain the ledger is not ready, says why and what to run; reindex recovers", async (ctx) => {
  await ctx.s.stopIndexer();
  const wiped = await freshChain();
  try {
    await ctx.s.startIndexer(wiped.chain);
    const { status, body } = await ready(ctx.s);
    assert.is(status, 503);
    assert.match(body.checks.chain ?? "", /ledger-indexer indexed channel "clearbook"/);
    assert.match(body.checks.chain ?? "", /another chain \(block 0 differs\)/);
    assert.match(body.checks.chain ?? "", /npm run reindex -- ledger/);
    // Nothing of the old chain was touched, nothing of the new one applied.
    assert.is((await readModels(ctx.s)).organizations.length, 1);

    await ctx.s.stopIndexer();
    await reindexLedger({
      db: ctx.s.db,
      chain: wiped.chain,
      redis: ctx.s.redis.client,
      clock: systemClock,
      logger: ctx.s.logger,
      namespace: ctx.s.ns,
      say: () => {},
    });
    // The new chain holds no organization, no transaction: neither do the read models.
    assert.equal(await readModels(ctx.s), { organizations: [], memberships: [], entries: [], transactions: [] });
    await ctx.s.startIndexer(wiped.chain);
    assert.is((await ready(ctx.s)).status, 200);
  } finally {
    await ctx.s.stopIndexer();
    await wiped.dispose();
  }
});

test("a connection profile naming another channel meets the same refusal", async (ctx) => {
  const other = await freshChain("clearbook-staging");
  try {
    await ctx.s.startIndexer(other.chain);
    const { status, body } = await ready(ctx.s);
    assert.is(status, 503);
    assert.match(body.checks.chain ?? "", /channel "clearbook-staging".*another channel/);
    assert.match(body.checks.chain ?? "", /npm run reindex -- ledger/);
  } finally {
    await ctx.s.stopIndexer();
    await other.dispose();
  }
});

test.run();
