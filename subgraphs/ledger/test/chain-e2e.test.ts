import { parseEntryList } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FabricIdentityEntity } from "../src/db/fabric-identity.entity.js";
import { type ChainStack, startChainStack, waitFor } from "./chain-stack.js";

interface Ctx {
  s: ChainStack;
  users: Record<"admin" | "council" | "member", string>;
  orgId: string;
}

const test = suite<Ctx>("ledger on a real chain (devpeer, signer, relay, indexer)");

const ENTRY = `query($id: ID!) { ledgerEntry(id: $id) { id status amount decidedBy { id } tx { txId status validationCode block { number } } } }`;

test.before(async (ctx) => {
  ctx.s = await startChainStack("e2e");
  ctx.users = {} as Ctx["users"];
  // The admin is made by trusted code (as the seed does): platform role ADMIN; its Fabric identity (role
  // admin) comes from an operator, never through a stream.
  const admin = await ctx.s.app.services.sessions.signUp(
    ctx.s.db.fork(),
    { email: "admin@example.org", password: "a long password", displayName: "Admin" },
    "seed",
    ["ADMIN"],
  );
  ctx.users.admin = admin.user.id;
  await ctx.s.enrollAdmin(admin.user.id);
  for (const name of ["council", "member"] as const) {
    const res = await ctx.s.gql(`mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
      i: { email: `${name}@example.org`, password: "a long password", displayName: name },
    });
    ctx.users[name] = (res.data.signUp as { user: { id: string } }).user.id;
  }
});

test.after(async (ctx) => {
  await ctx.s?.dispose();
});

test("sign-up enrolls each user's Fabric identity through the signer", async (ctx) => {
  for (const id of Object.values(ctx.users)) {
    await waitFor(() => ctx.s.db.fork().findOne(FabricIdentityEntity, { userId: id }), `identity of ${id}`);
  }
});

test("an organization, a membership and a deposit go on chain and the read models follow", async (ctx) => {
  const created = await ctx.s.gql(
    `mutation($f: ID!) { createOrganization(name: "Student Council", founderId: $f) { id } }`,
    { f: ctx.users.council },
    { sub: ctx.users.admin, roles: ["ADMIN"] },
  );
  assert.is(created.errors, undefined, JSON.stringify(created.errors));
  ctx.orgId = (created.data.createOrganization as { id: string }).id;
  await waitFor(async () => {
    const res = await ctx.s.gql(`{ organizations { id } }`);
    return (res.data.organizations as { id: string }[]).length === 1;
  }, "the organization to commit");

  const requested = await ctx.s.gql(
    `mutation($o: ID!) { requestMembership(orgId: $o) { id } }`,
    { o: ctx.orgId },
    { sub: ctx.users.member },
  );
  const requestId = (requested.data.requestMembership as { id: string }).id;
  await waitFor(async () => {
    const res = await ctx.s.gql(`{ chainTransaction(txId: "${await lastTx(ctx)}") { status } }`);
    return (res.data.chainTransaction as { status: string } | null)?.status === "COMMITTED";
  }, "the membership request to commit");
  const approved = await ctx.s.gql(
    `mutation($id: ID!) { approveMembership(requestId: $id) { id tx { txId } } }`,
    { id: requestId },
    { sub: ctx.users.council },
  );
  assert.is(approved.errors, undefined, JSON.stringify(approved.errors));
  await waitFor(async () => {
    const res = await ctx.s.gql(`{ me { memberships { roles } } }`, {}, { sub: ctx.users.member });
    return ((res.data.me as { memberships: unknown[] }).memberships.length ?? 0) > 0;
  }, "the membership to commit");

  const submitted = await ctx.s.gql(
    `mutation($i: DepositInput!) { submitDeposit(input: $i) { id status tx { txId status } } }`,
    {
      i: {
        orgId: ctx.orgId,
        eventName: "Bake sale",
        year: 2026,
        semester: 2,
        amount: "12500",
        evidenceIds: [],
        idempotencyKey: "bake",
      },
    },
    { sub: ctx.users.member },
  );
  const entry = submitted.data.submitDeposit as { id: string; status: string; tx: { txId: string; status: string } };
  assert.is(entry.status, "PENDING");
  assert.is(entry.tx.status, "PENDING");
  assert.match(entry.tx.txId, /^[0-9a-f]{64}$/);
  await waitFor(async () => {
    const res = await ctx.s.gql(ENTRY, { id: entry.id });
    return (res.data.ledgerEntry as { tx: { status: string } }).tx.status === "COMMITTED";
  }, "the deposit to commit");

  const approve = await ctx.s.gql(
    `mutation($id: ID!) { approveDeposit(entryId: $id) { id status tx { txId } } }`,
    { id: entry.id },
    {
      sub: ctx.users.council,
    },
  );
  assert.is(approve.errors, undefined, JSON.stringify(approve.errors));
  const done = await waitFor(async () => {
    const res = await ctx.s.gql(ENTRY, { id: entry.id });
    const e = res.data.ledgerEntry as {
      status: string;
      decidedBy: { id: string } | null;
      tx: { block: { number: number } | null };
    };
    return e.status === "APPROVED" ? e : undefined;
  }, "the approval to commit");
  assert.is(done.decidedBy?.id, ctx.users.council);
  assert.ok(done.tx.block, "the transaction links to its block");

  const balance = await ctx.s.gql(`query($o: ID!) { organization(id: $o) { treasuryBalance } }`, { o: ctx.orgId });
  assert.equal(balance.data.organization, { treasuryBalance: "12500" });

  const events = parseEntryList(await ctx.s.redis.client.xrange(`${ctx.s.ns}evt:ledger`, "-", "+"));
  assert.ok(
    events.some((e) => e.fields?.type === "LedgerEntryChanged" && e.fields?.data?.includes(entry.id)),
    "evt:ledger carries LedgerEntryChanged for the entry",
  );
});

async function lastTx(ctx: Ctx): Promise<string> {
  const rows = await ctx.s.db
    .fork()
    .getConnection()
    .execute<{ tx_id: string }[]>("select tx_id from chain_transactions order by created_at desc limit 1");
  return rows[0]?.tx_id ?? "";
}

test("the explorer lists blocks and verifyChain recomputes the hash chain", async (ctx) => {
  const res = await ctx.s.gql(
    `{ blocks(last: 3) { number hash previousHash transactions { txId function status } } verifyChain { ok checkedBlocks firstBadBlock } }`,
  );
  assert.is(res.errors, undefined, JSON.stringify(res.errors));
  const blocks = res.data.blocks as { number: number; transactions: { function: string }[] }[];
  assert.is(blocks.length, 3);
  assert.ok(blocks[0] && blocks[1] && blocks[0].number > blocks[1].number, "newest first");
  const verification = res.data.verifyChain as { ok: boolean; checkedBlocks: number; firstBadBlock: number | null };
  assert.ok(verification.ok);
  assert.is(verification.checkedBlocks, ctx.s.devpeer.height());
  const functions = blocks.flatMap((b) => b.transactions.map((t) => t.function));
  assert.ok(functions.includes("ledger:ApproveDeposit"), functions.join());
});

test("the indexer, stopped and restarted, misses no event", async (ctx) => {
  await ctx.s.stopIndexer();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await ctx.s.gql(
      `mutation($i: DepositInput!) { submitDeposit(input: $i) { id } }`,
      {
        i: {
          orgId: ctx.orgId,
          eventName: `Dues ${i}`,
          year: 2026,
          semester: 2,
          amount: "100",
          evidenceIds: [],
          idempotencyKey: `dues-${i}`,
        },
      },
      { sub: ctx.users.member },
    );
    ids.push((res.data.submitDeposit as { id: string }).id);
  }
  // Let the signer commit them while no indexer runs.
  await waitFor(async () => {
    const rows = await ctx.s.db
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        "select count(*) as n from chain_transactions where function = 'ledger:SubmitDeposit' and status = 'COMMITTED'",
      );
    return Number(rows[0]?.n) === 4;
  }, "the signer to commit the deposits");
  await ctx.s.startIndexer();
  for (const id of ids) {
    await waitFor(async () => {
      const res = await ctx.s.gql(`query($id: ID!) { ledgerEntry(id: $id) { activity { action } } }`, { id });
      const actions = (res.data.ledgerEntry as { activity: { action: string }[] }).activity.map((a) => a.action);
      return actions.includes("RECORDED");
    }, `the restarted indexer to record ${id}`);
  }
});

test("two indexers (two replicas) apply each event once", async (ctx) => {
  const replica = await ctx.s.startReplicaIndexer();
  try {
    const before = parseEntryList(await ctx.s.redis.client.xrange(`${ctx.s.ns}evt:ledger`, "-", "+")).length;
    const res = await ctx.s.gql(
      `mutation($i: DepositInput!) { submitDeposit(input: $i) { id } }`,
      {
        i: {
          orgId: ctx.orgId,
          eventName: "Twice?",
          year: 2026,
          semester: 2,
          amount: "100",
          evidenceIds: [],
          idempotencyKey: "twice",
        },
      },
      { sub: ctx.users.member },
    );
    const id = (res.data.submitDeposit as { id: string }).id;
    const actions = await waitFor(async () => {
      const r = await ctx.s.gql(`query($id: ID!) { ledgerEntry(id: $id) { activity { action } } }`, { id });
      const list = (r.data.ledgerEntry as { activity: { action: string }[] }).activity.map((a) => a.action);
      return list.includes("RECORDED") ? list : undefined;
    }, "the deposit to be indexed");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(actions, ["SUBMITTED", "RECORDED"]);
    const after = parseEntryList(await ctx.s.redis.client.xrange(`${ctx.s.ns}evt:ledger`, "-", "+"));
    assert.is(after.length - before, 1, "one LedgerEntryChanged");
  } finally {
    await replica.dispose();
  }
});

test.run();
