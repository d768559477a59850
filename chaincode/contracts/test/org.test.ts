import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, EventName, MSP_ID } from "../src/api.js";
import { ids, orgWithMembers, refused } from "./support/fixtures.js";
import { TestChain } from "./support/test-chain.js";

const create = suite("org:CreateOrganization");

create("creates the organization with its founder on the council and an empty treasury", async () => {
  const chain = new TestChain();
  const admin = await ids.admin();
  const created = await chain.submit(admin, "org:CreateOrganization", "org-1", "Student Council", "founder");
  assert.equal(created.organization.settings, { ballotDurationSeconds: 3600, quorumBps: 5000, thresholdBps: 5000 });
  assert.equal(created.founder, {
    orgId: "org-1",
    userId: "founder",
    council: true,
    since: created.organization.createdAt,
    requestId: null,
  });
  assert.equal(created.treasury.address, "org:org-1");
  assert.is(created.treasury.balance, "0");
  const anyone = await ids.user("someone");
  assert.equal(await chain.evaluate(anyone, "org:GetOrganization", "org-1"), created.organization);
  assert.equal(await chain.evaluate(anyone, "token:GetTreasury", "org-1"), created.treasury);
  assert.equal(await chain.evaluate(anyone, "org:ListOrganizations"), [created.organization]);
});

create("emits OrgCreated with the organization, treasury and founder", async () => {
  const chain = new TestChain();
  const endorsement = await chain.endorse(await ids.admin(), "org:CreateOrganization", ["org-1", "Council", "founder"]);
  const event = TestChain.event(endorsement);
  assert.is(event?.name, EventName.OrgCreated);
  assert.equal(Object.keys(event?.payload ?? {}), ["founder", "organization", "treasury"]);
});

create("refuses anyone but a platform admin", async () => {
  const chain = new TestChain();
  await refused(
    chain.submit(await ids.user("u"), "org:CreateOrganization", "org-1", "C", "u"),
    ChainErrorCode.FORBIDDEN,
  );
  await refused(
    chain.submit(await ids.service(), "org:CreateOrganization", "org-1", "C", "u"),
    ChainErrorCode.FORBIDDEN,
  );
});

create("refuses identities of another MSP and certificates without a user id", async () => {
  const chain = new TestChain();
  const foreign = await ids.raw("mallory", { "clearbook.userId": "mallory", "clearbook.role": "admin" }, "OtherMSP");
  await refused(chain.submit(foreign, "org:CreateOrganization", "org-1", "C", "u"), ChainErrorCode.UNAUTHENTICATED);
  const anonymous = await ids.raw("anon", null, MSP_ID);
  await refused(chain.submit(anonymous, "org:CreateOrganization", "org-1", "C", "u"), ChainErrorCode.UNAUTHENTICATED);
  const oddId = await ids.raw("odd-id", { "clearbook.userId": "a\u0000b", "clearbook.role": "admin" }, MSP_ID);
  await refused(chain.submit(oddId, "org:CreateOrganization", "org-1", "C", "u"), ChainErrorCode.UNAUTHENTICATED);
  const oddRole = await ids.raw("odd", { "clearbook.userId": "odd", "clearbook.role": "root" }, MSP_ID);
  await refused(chain.submit(oddRole, "org:CreateOrganization", "org-1", "C", "u"), ChainErrorCode.UNAUTHENTICATED);
});

create("refuses a reused organization id, even with the same content", async () => {
  const chain = new TestChain();
  const admin = await ids.admin();
  await chain.submit(admin, "org:CreateOrganization", "org-1", "Council", "founder");
  await refused(
    chain.submit(admin, "org:CreateOrganization", "org-1", "Council", "founder"),
    ChainErrorCode.ALREADY_USED,
  );
});

create("refuses malformed ids and names", async () => {
  const chain = new TestChain();
  const admin = await ids.admin();
  for (const [orgId, name, founder] of [
    ["", "C", "f"],
    ["bad id", "C", "f"],
    ["o\u0000x", "C", "f"],
    ["o", "   ", "f"],
    ["o", "x".repeat(121), "f"],
    ["o", "tab\there", "f"],
    ["o", "C", "-f"],
  ]) {
    await refused(
      chain.submit(admin, "org:CreateOrganization", orgId ?? "", name ?? "", founder ?? ""),
      ChainErrorCode.BAD_USER_INPUT,
    );
  }
});

create.run();

const membership = suite("org membership");

membership("a user requests membership and any approved member approves it", async () => {
  const { chain, founder, members } = await orgWithMembers(1);
  const carol = await ids.user("carol");
  const request = await chain.submit(carol, "org:RequestMembership", "req-carol", "org-1");
  assert.is(request.status, "PENDING");
  assert.is(request.userId, "carol");
  chain.advance(60);
  const approved = await chain.submit(members[0]!, "org:ApproveMembership", "req-carol");
  assert.is(approved.request.status, "APPROVED");
  assert.is(approved.request.approvedBy, "member-0");
  assert.equal(approved.member, {
    orgId: "org-1",
    userId: "carol",
    council: false,
    since: approved.request.approvedAt,
    requestId: "req-carol",
  });
  const all = await chain.evaluate(founder, "org:GetMembers", "org-1");
  assert.equal(all.map((m) => m.userId).sort(), ["carol", "founder", "member-0"]);
  assert.equal(await chain.evaluate(carol, "org:GetMembershipRequest", "req-carol"), approved.request);
});

membership("refuses approval by a non-member and a second approval", async () => {
  const { chain, founder } = await orgWithMembers(0);
  const carol = await ids.user("carol");
  const dave = await ids.user("dave");
  await chain.submit(carol, "org:RequestMembership", "req-carol", "org-1");
  await refused(chain.submit(dave, "org:ApproveMembership", "req-carol"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(carol, "org:ApproveMembership", "req-carol"), ChainErrorCode.FORBIDDEN);
  await chain.submit(founder, "org:ApproveMembership", "req-carol");
  await refused(chain.submit(founder, "org:ApproveMembership", "req-carol"), ChainErrorCode.CONFLICT);
  await refused(chain.submit(founder, "org:ApproveMembership", "req-nope"), ChainErrorCode.NOT_FOUND);
});

membership("refuses a request from a member, a second pending request, a reused id and an unknown org", async () => {
  const { chain, founder } = await orgWithMembers(0);
  const carol = await ids.user("carol");
  await refused(chain.submit(founder, "org:RequestMembership", "req-f", "org-1"), ChainErrorCode.CONFLICT);
  await chain.submit(carol, "org:RequestMembership", "req-carol", "org-1");
  await refused(chain.submit(carol, "org:RequestMembership", "req-carol-2", "org-1"), ChainErrorCode.CONFLICT);
  await refused(
    chain.submit(await ids.user("dave"), "org:RequestMembership", "req-carol", "org-1"),
    ChainErrorCode.ALREADY_USED,
  );
  await refused(chain.submit(carol, "org:RequestMembership", "req-x", "org-nope"), ChainErrorCode.NOT_FOUND);
});

membership.run();

const council = suite("org council and settings");

council("the council grants and revokes the council role", async () => {
  const { chain, founder, members } = await orgWithMembers(2);
  const granted = await chain.submit(founder, "org:GrantCouncil", "org-1", "member-0");
  assert.is(granted.council, true);
  const revoked = await chain.submit(members[0]!, "org:RevokeCouncil", "org-1", "founder");
  assert.is(revoked.council, false);
  const member = await chain.evaluate(founder, "org:GetMember", "org-1", "founder");
  assert.is(member?.council, false);
  assert.is(await chain.evaluate(founder, "org:GetMember", "org-1", "nobody"), null);
});

council(
  "refuses council changes by non-council members, for non-members, twice, or of the last council member",
  async () => {
    const { chain, founder, members } = await orgWithMembers(2);
    await refused(chain.submit(members[0]!, "org:GrantCouncil", "org-1", "member-1"), ChainErrorCode.FORBIDDEN);
    await refused(chain.submit(founder, "org:GrantCouncil", "org-1", "stranger"), ChainErrorCode.NOT_FOUND);
    await refused(chain.submit(founder, "org:GrantCouncil", "org-1", "founder"), ChainErrorCode.CONFLICT);
    await refused(chain.submit(founder, "org:RevokeCouncil", "org-1", "member-1"), ChainErrorCode.CONFLICT);
    await refused(chain.submit(founder, "org:RevokeCouncil", "org-1", "founder"), ChainErrorCode.CONFLICT);
    await refused(chain.submit(founder, "org:GrantCouncil", "org-nope", "member-1"), ChainErrorCode.NOT_FOUND);
  },
);

council("the council updates ballot settings within bounds", async () => {
  const { chain, founder, members } = await orgWithMembers(1);
  const updated = await chain.submit(founder, "org:UpdateSettings", "org-1", "600", "2500", "6600");
  assert.equal(updated.settings, { ballotDurationSeconds: 600, quorumBps: 2500, thresholdBps: 6600 });
  await refused(
    chain.submit(members[0]!, "org:UpdateSettings", "org-1", "600", "2500", "6600"),
    ChainErrorCode.FORBIDDEN,
  );
  const invalid: Array<[string, string, string]> = [
    ["59", "0", "0"],
    ["2592001", "0", "0"],
    ["600", "10001", "0"],
    ["600", "0", "10000"],
    ["600", "-1", "0"],
    ["6e2", "0", "0"],
  ];
  for (const args of invalid) {
    await refused(chain.submit(founder, "org:UpdateSettings", "org-1", ...args), ChainErrorCode.BAD_USER_INPUT);
  }
});

council.run();
