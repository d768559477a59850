import { Info, Returns, Transaction } from "fabric-contract-api";
import type { Member, MembershipRequest, Organization, OrgSettings } from "../api/documents.js";
import { MembershipRequestStatus } from "../api/documents.js";
import { EventName } from "../api/events.js";
import { ContractName, treasuryAddress } from "../api/transactions.js";
import { ClearbookContract } from "../shared/base.contract.js";
import { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { parseId, parseInteger, parseText } from "../shared/parse.js";
import { newTreasury, openAccount } from "../token/accounts.js";
import { getMember, getOrganization, requireAdmin, requireCouncil, requireMember } from "./membership.js";

/** Defaults for a new organization; the council changes them with UpdateSettings. */
export const DEFAULT_SETTINGS: OrgSettings = { ballotDurationSeconds: 3600, quorumBps: 5000, thresholdBps: 5000 };
export const MIN_BALLOT_SECONDS = 60;
export const MAX_BALLOT_SECONDS = 30 * 24 * 3600;

@Info({ title: "org", description: "Organizations, membership and council roles" })
export class OrgContract extends ClearbookContract {
  constructor() {
    super(ContractName.ORG);
  }

  @Transaction()
  @Returns("string")
  async CreateOrganization(ctx: ClearbookContext, orgId: string, name: string, founderUserId: string): Promise<string> {
    requireAdmin(ctx.caller());
    const id = parseId("orgId", orgId);
    const orgName = parseText("name", name, 120);
    const founderId = parseId("founderUserId", founderUserId);
    if (await ctx.exists(KeyType.ORG, id)) throw fail.alreadyUsed("organization id", id);
    const now = ctx.now();
    const organization: Organization = {
      orgId: id,
      name: orgName,
      founderId,
      treasuryAddress: treasuryAddress(id),
      settings: DEFAULT_SETTINGS,
      createdAt: now,
    };
    const founder: Member = { orgId: id, userId: founderId, council: true, since: now, requestId: null };
    const treasury = newTreasury(id, now);
    await ctx.write(KeyType.ORG, [id], organization);
    await ctx.write(KeyType.MEMBER, [id, founderId], founder);
    await openAccount(ctx, treasury);
    const created = { organization, treasury, founder };
    ctx.emit(EventName.OrgCreated, created);
    return this.result(created);
  }

  @Transaction()
  @Returns("string")
  async RequestMembership(ctx: ClearbookContext, requestId: string, orgId: string): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("requestId", requestId);
    const org = parseId("orgId", orgId);
    await getOrganization(ctx, org);
    if (await ctx.exists(KeyType.MEMBERSHIP_REQUEST, id)) throw fail.alreadyUsed("membership request id", id);
    if (await getMember(ctx, org, caller.userId)) throw fail.conflict(`user ${caller.userId} is already a member`);
    const open = await ctx.read(KeyType.OPEN_MEMBERSHIP_REQUEST, org, caller.userId);
    if (open) throw fail.conflict(`user ${caller.userId} already has pending request ${open}`);
    const request: MembershipRequest = {
      requestId: id,
      orgId: org,
      userId: caller.userId,
      status: MembershipRequestStatus.PENDING,
      requestedAt: ctx.now(),
      approvedBy: null,
      approvedAt: null,
    };
    await ctx.write(KeyType.MEMBERSHIP_REQUEST, [id], request);
    await ctx.write(KeyType.OPEN_MEMBERSHIP_REQUEST, [org, caller.userId], id);
    ctx.emit(EventName.OrgMembershipRequested, { request });
    return this.result(request);
  }

  @Transaction()
  @Returns("string")
  async ApproveMembership(ctx: ClearbookContext, requestId: string): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("requestId", requestId);
    const pending = await ctx.read(KeyType.MEMBERSHIP_REQUEST, id);
    if (!pending) throw fail.notFound("membership request", id);
    await requireMember(ctx, pending.orgId, caller);
    if (pending.status !== MembershipRequestStatus.PENDING) throw fail.conflict(`request ${id} is already approved`);
    const now = ctx.now();
    const request: MembershipRequest = {
      ...pending,
      status: MembershipRequestStatus.APPROVED,
      approvedBy: caller.userId,
      approvedAt: now,
    };
    const member: Member = { orgId: pending.orgId, userId: pending.userId, council: false, since: now, requestId: id };
    await ctx.write(KeyType.MEMBERSHIP_REQUEST, [id], request);
    await ctx.remove(KeyType.OPEN_MEMBERSHIP_REQUEST, pending.orgId, pending.userId);
    await ctx.write(KeyType.MEMBER, [pending.orgId, pending.userId], member);
    ctx.emit(EventName.OrgMembershipApproved, { request, member });
    return this.result({ request, member });
  }

  @Transaction()
  @Returns("string")
  async GrantCouncil(ctx: ClearbookContext, orgId: string, userId: string): Promise<string> {
    const member = await this.councilChange(ctx, orgId, userId, true);
    ctx.emit(EventName.OrgCouncilGranted, { member });
    return this.result(member);
  }

  /** Refuses to remove the last council member: the organization would be left without one. */
  @Transaction()
  @Returns("string")
  async RevokeCouncil(ctx: ClearbookContext, orgId: string, userId: string): Promise<string> {
    const member = await this.councilChange(ctx, orgId, userId, false);
    // The range read sees committed state (Fabric never shows a transaction its own writes),
    // so the member being revoked still counts here.
    const council = (await ctx.list(KeyType.MEMBER, member.orgId)).filter((m) => m.value.council);
    if (council.length <= 1) throw fail.conflict(`user ${member.userId} is the last council member`);
    ctx.emit(EventName.OrgCouncilRevoked, { member });
    return this.result(member);
  }

  @Transaction()
  @Returns("string")
  async UpdateSettings(
    ctx: ClearbookContext,
    orgId: string,
    ballotDurationSeconds: string,
    quorumBps: string,
    thresholdBps: string,
  ): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("orgId", orgId);
    const settings: OrgSettings = {
      ballotDurationSeconds: parseInteger(
        "ballotDurationSeconds",
        ballotDurationSeconds,
        MIN_BALLOT_SECONDS,
        MAX_BALLOT_SECONDS,
      ),
      quorumBps: parseInteger("quorumBps", quorumBps, 0, 10_000),
      // approve/(approve+reject) must be strictly greater: 10000 could never pass.
      thresholdBps: parseInteger("thresholdBps", thresholdBps, 0, 9_999),
    };
    const current = await getOrganization(ctx, id);
    await requireCouncil(ctx, id, caller);
    const organization: Organization = { ...current, settings };
    await ctx.write(KeyType.ORG, [id], organization);
    ctx.emit(EventName.OrgSettingsUpdated, { organization });
    return this.result(organization);
  }

  @Transaction(false)
  @Returns("string")
  async GetOrganization(ctx: ClearbookContext, orgId: string): Promise<string> {
    return this.result(await getOrganization(ctx, parseId("orgId", orgId)));
  }

  @Transaction(false)
  @Returns("string")
  async ListOrganizations(ctx: ClearbookContext): Promise<string> {
    return this.result((await ctx.list(KeyType.ORG)).map((e) => e.value));
  }

  @Transaction(false)
  @Returns("string")
  async GetMember(ctx: ClearbookContext, orgId: string, userId: string): Promise<string> {
    return this.result(await getMember(ctx, parseId("orgId", orgId), parseId("userId", userId)));
  }

  @Transaction(false)
  @Returns("string")
  async GetMembers(ctx: ClearbookContext, orgId: string): Promise<string> {
    const id = parseId("orgId", orgId);
    await getOrganization(ctx, id);
    return this.result((await ctx.list(KeyType.MEMBER, id)).map((e) => e.value));
  }

  @Transaction(false)
  @Returns("string")
  async GetMembershipRequest(ctx: ClearbookContext, requestId: string): Promise<string> {
    const id = parseId("requestId", requestId);
    const request = await ctx.read(KeyType.MEMBERSHIP_REQUEST, id);
    if (!request) throw fail.notFound("membership request", id);
    return this.result(request);
  }

  private async councilChange(ctx: ClearbookContext, orgId: string, userId: string, council: boolean): Promise<Member> {
    const caller = ctx.caller();
    const org = parseId("orgId", orgId);
    const user = parseId("userId", userId);
    await getOrganization(ctx, org);
    await requireCouncil(ctx, org, caller);
    const member = await getMember(ctx, org, user);
    if (!member) throw fail.notFound("member", user);
    if (member.council === council)
      throw fail.conflict(`user ${user} is ${council ? "already" : "not"} on the council`);
    const updated: Member = { ...member, council };
    await ctx.write(KeyType.MEMBER, [org, user], updated);
    return updated;
  }
}
