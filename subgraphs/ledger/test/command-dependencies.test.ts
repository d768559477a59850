import { randomUUID } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEPENDENCY_REJECTED } from "../src/chain/deferred-commands.js";
import { FabricIdentityEntity } from "../src/db/fabric-identity.entity.js";
import { MembershipEntity } from "../src/db/membership.entity.js";
import { UserEntity } from "../src/db/user.entity.js";
import { type ChainStack, startChainStack, waitFor } from "./chain-stack.js";

interface Ctx {
  s: ChainStack;
  admin: string;
  council: string;
  orgId: string;
}

const test = suite<Ctx>("commands accepted before they can run: a new identity, a pending dependency (decision 0300)");

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`;
const REQUEST = `mutation($o: ID!) { requestMembership(orgId: $o) { id status } }`;
const APPROVE_MEMBER = `mutation($id: ID!) { approveMembership(requestId: $id) { id status } }`;
const DEPOSIT = `mutation($i: DepositInput!) { submitDeposit(input: $i) { id status } }`;
const APPROVE_DEPOSIT = `mutation($id: ID!) { approveDeposit(entryId: $id) { id status } }`;
const ENTRY = `query($id: ID!) { ledgerEntry(id: $id) { id status reason } }`;

type Gql = Awaited<ReturnType<ChainStack["gql"]>>;
const ok = (res: Gql, field: string) => {
  assert.is(res.errors, undefined, JSON.stringify(res.errors));
  return res.data[field] as { id: string; status: string };
};

async function signUp(s: ChainStack, name: string): Promise<string> {
  const res = await s.gql(SIGN_UP, {
    i: { email: `${name}-${randomUUID().slice(0, 8)}@example.org`, password: "a long password", displayName: name },
  });
  return ok(res, "signUp") && (res.data.signUp as { user: { id: string } }).user.id;
}

const isMember = (s: ChainStack, orgId: string, userId: string) =>
  waitFor(() => s.db.fork().findOne(MembershipEntity, { orgId, userId }), `${userId} to become a member`);

const deposit = (s: ChainStack, orgId: string, by: string, key: string) =>
  s.gql(
    DEPOSIT,
    {
      i: {
        orgId,
        eventName: "Bake sale",
        year: 2026,
        semester: 2,
        amount: "700",
        evidenceIds: [],
        idempotencyKey: key,
      },
    },
    { sub: by },
  );

test.before(async (ctx) => {
  ctx.s = await startChainStack("deps");
  const admin = await ctx.s.app.services.sessions.signUp(
    ctx.s.db.fork(),
    { email: "admin@example.org", password: "a long password", displayName: "Admin" },
    "seed",
    ["ADMIN"],
  );
  ctx.admin = admin.user.id;
  ctx.council = await signUp(ctx.s, "council");
  // Created at once, with neither the admin's nor the founder's identity issued yet.
  const created = await ctx.s.gql(
    `mutation($f: ID!) { createOrganization(name: "Student Council", founderId: $f) { id } }`,
    { f: ctx.council },
    { sub: ctx.admin, roles: ["ADMIN"] },
  );
  ctx.orgId = ok(created, "createOrganization").id;
  // The admin's identity comes from an operator (no stream may ask for one); the creation waits for it.
  await ctx.s.enrollAdmin(ctx.admin);
  await isMember(ctx.s, ctx.orgId, ctx.council);
});

test.after(async (ctx) => {
  await ctx.s?.dispose();
});

test("a user who just signed up requests membership at once; the council approves at once; then a deposit is approved at once", async (ctx) => {
  const { s, orgId, council } = ctx;
  const member = await signUp(s, "newcomer");
  // Back to back: the identity is still being issued, and the approval follows a pending request.
  const request = ok(await s.gql(REQUEST, { o: orgId }, { sub: member }), "requestMembership");
  assert.is(request.status, "PENDING");
  ok(await s.gql(APPROVE_MEMBER, { id: request.id }, { sub: council }), "approveMembership");
  await isMember(s, orgId, member);

  const entry = ok(await deposit(s, orgId, member, "bake"), "submitDeposit");
  // The deposit's transaction is still pending: the approval waits for it instead of being refused.
  ok(await s.gql(APPROVE_DEPOSIT, { id: entry.id }, { sub: council }), "approveDeposit");
  await waitFor(async () => {
    const res = await s.gql(ENTRY, { id: entry.id });
    return (res.data.ledgerEntry as { status: string }).status === "APPROVED";
  }, "the deposit to be approved");
  const balance = await s.gql(`query($o: ID!) { organization(id: $o) { treasuryBalance } }`, { o: orgId });
  assert.equal(balance.data.organization, { treasuryBalance: "700" });
});

test("an approval waiting on a deposit the chain refuses fails with DEPENDENCY_REJECTED, and can be retried on a new deposit", async (ctx) => {
  const { s, orgId, council } = ctx;
  // A member only in the read model (stale): the chain refuses this user's deposit.
  const outsider = await signUp(s, "outsider");
  await waitFor(
    async () => (await s.db.fork().findOne(UserEntity, { id: outsider }))?.enrolledAt,
    "the outsider's identity",
  );
  const em = s.db.fork();
  em.create(MembershipEntity, { id: randomUUID(), orgId, userId: outsider, council: false, since: new Date() });
  await em.flush();

  const entry = ok(await deposit(s, orgId, outsider, "refused"), "submitDeposit");
  ok(await s.gql(APPROVE_DEPOSIT, { id: entry.id }, { sub: council }), "approveDeposit");
  const rejected = await waitFor(async () => {
    const res = await s.gql(ENTRY, { id: entry.id });
    const e = res.data.ledgerEntry as { status: string; reason: string | null };
    return e.status === "REJECTED" ? e : undefined;
  }, "the refused deposit to leave PENDING");
  assert.ok(rejected.reason, "the entry says why");
  const deferred = await waitFor(async () => {
    const rows = await s.db
      .fork()
      .getConnection()
      .execute<{ status: string; reason: string | null }[]>(
        "select status, reason from deferred_commands where target_id = ? and name = 'ledger:ApproveDeposit'",
        [entry.id],
      );
    return rows[0]?.status === "FAILED" ? rows[0] : undefined;
  }, "the waiting approval to fail");
  assert.match(deferred.reason ?? "", DEPENDENCY_REJECTED);
  const history = await s.gql(`query($id: ID!) { ledgerEntry(id: $id) { activity { action } } }`, { id: entry.id });
  const actions = (history.data.ledgerEntry as { activity: { action: string }[] }).activity.map((a) => a.action);
  assert.ok(actions.includes("TX_FAILED"), `the failed attempt is in the history: ${actions.join(", ")}`);
});

test("a command the signer dead-letters leaves PENDING with the reason (DEAD_LETTERED)", async (ctx) => {
  const { s, orgId, council } = ctx;
  // The ledger holds a certificate for this user, but the signer has no key for them.
  const keyless = randomUUID();
  const em = s.db.fork();
  const borrowed = await em.findOneOrFail(FabricIdentityEntity, { userId: council });
  em.create(UserEntity, {
    id: keyless,
    email: `keyless-${keyless.slice(0, 8)}@example.org`,
    displayName: "Keyless",
    passwordHash: "x",
    platformRoles: [],
    enrolledAt: new Date(),
    createdAt: new Date(),
  });
  em.create(FabricIdentityEntity, {
    userId: keyless,
    mspId: borrowed.mspId,
    certPem: borrowed.certPem,
    enrolledAt: new Date(),
  });
  em.create(MembershipEntity, { id: randomUUID(), orgId, userId: keyless, council: false, since: new Date() });
  await em.flush();
  const entry = ok(await deposit(s, orgId, keyless, "keyless"), "submitDeposit");
  const failed = await waitFor(async () => {
    const res = await s.gql(ENTRY, { id: entry.id });
    const e = res.data.ledgerEntry as { status: string; reason: string | null };
    return e.status !== "PENDING" ? e : undefined;
  }, "the dead-lettered deposit to leave PENDING");
  assert.is(failed.status, "REJECTED");
  assert.match(failed.reason ?? "", /DEAD_LETTERED: KEY_NOT_FOUND/);
});

test("a user whose enrollment was lost gets an identity when a command waits for it, and the command runs", async (ctx) => {
  const { s, orgId } = ctx;
  // A user without any enrollment request (as if the first one had been dead-lettered and purged).
  const lost = randomUUID();
  const em = s.db.fork();
  em.create(UserEntity, {
    id: lost,
    email: `lost-${lost.slice(0, 8)}@example.org`,
    displayName: "Lost",
    passwordHash: "x",
    platformRoles: [],
    enrolledAt: null,
    createdAt: new Date(),
  });
  await em.flush();
  const request = ok(await s.gql(REQUEST, { o: orgId }, { sub: lost }), "requestMembership");
  await waitFor(async () => {
    const res = await s.gql(
      `query($o: ID!) { membershipRequests(orgId: $o) { id tx { status } } }`,
      { o: orgId },
      { sub: ctx.council },
    );
    const requests = res.data.membershipRequests as { id: string; tx: { status: string } | null }[] | undefined;
    return requests?.find((r) => r.id === request.id)?.tx?.status === "COMMITTED";
  }, "the request to commit once the identity is issued");
});

test.run();
