import { errors } from "@clearbook/kit";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { listEntries } from "../../entries/entry-query.js";
import type { LedgerContext } from "../context.js";
import { Role } from "../enums.js";
import { EntryFilterInput } from "../inputs.js";
import { MoneyScalar } from "../scalars.js";
import { ChainTransactionType } from "../types/chain.type.js";
import { LedgerEntryConnectionType } from "../types/ledger-entry.type.js";
import { MembershipRequestType, OrganizationType, UserConnectionType } from "../types/organization.type.js";
import { MembershipType, UserType } from "../types/user.type.js";
import { toTransaction } from "./explorer.resolver.js";

@Resolver(() => OrganizationType)
export class OrganizationResolver {
  @Query(() => [OrganizationType])
  organizations(@Ctx() ctx: LedgerContext): Promise<OrganizationType[]> {
    return ctx.services.orgs.organizations(ctx.em);
  }

  @Query(() => OrganizationType, { nullable: true })
  organization(@Arg("id", () => ID) id: string, @Ctx() ctx: LedgerContext): Promise<OrganizationType | null> {
    return ctx.services.orgs.organization(ctx.em, id);
  }

  @Mutation(() => OrganizationType)
  createOrganization(
    @Arg("name", () => String) name: string,
    @Arg("founderId", () => ID) founderId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<OrganizationType> {
    return ctx.services.orgs.createOrganization(ctx.em, ctx.viewer, name, founderId);
  }

  @Mutation(() => MembershipType)
  async grantCouncilRole(
    @Arg("orgId", () => ID) orgId: string,
    @Arg("userId", () => ID) userId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipType> {
    const m = await ctx.services.orgs.grantCouncilRole(ctx.em, ctx.viewer, orgId, userId);
    return { orgId: m.orgId, since: m.since, roles: m.council ? [Role.MEMBER, Role.COUNCIL] : [Role.MEMBER] };
  }

  @FieldResolver(() => MoneyScalar, { description: "From the chain." })
  treasuryBalance(@Root() org: OrganizationType, @Ctx() ctx: LedgerContext): Promise<bigint> {
    return ctx.services.reads.treasuryBalance(org.id);
  }

  @FieldResolver(() => UserConnectionType)
  async members(
    @Root() org: OrganizationType,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<UserConnectionType> {
    const size = first ?? 50;
    if (size < 1 || size > 200) throw errors.badInput("first must be between 1 and 200.", "first");
    const { page, totalCount, hasNextPage } = await ctx.services.orgs.members(ctx.em, org.id, size, after);
    const users = await Promise.all(page.map((m) => ctx.loaders.users.load(m.userId)));
    const edges = page.flatMap((m, i) => {
      const node = users[i];
      return node ? [{ node, cursor: m.id }] : [];
    });
    return { edges, totalCount, pageInfo: { hasNextPage, endCursor: page.at(-1)?.id ?? null } };
  }

  @FieldResolver(() => LedgerEntryConnectionType)
  async entries(
    @Root() org: OrganizationType,
    @Arg("filter", () => EntryFilterInput, { nullable: true }) filter: EntryFilterInput | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryConnectionType> {
    const page = await listEntries(ctx.em, org.id, filter ?? {}, first ?? 20, after);
    return {
      edges: page.edges as LedgerEntryConnectionType["edges"],
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}

@Resolver(() => MembershipRequestType)
export class MembershipRequestResolver {
  @Query(() => [MembershipRequestType], { description: "Members of the organization only." })
  membershipRequests(
    @Arg("orgId", () => ID) orgId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipRequestType[]> {
    return ctx.services.orgs.membershipRequests(ctx.em, ctx.viewer, orgId) as Promise<MembershipRequestType[]>;
  }

  @Mutation(() => MembershipRequestType)
  requestMembership(@Arg("orgId", () => ID) orgId: string, @Ctx() ctx: LedgerContext): Promise<MembershipRequestType> {
    return ctx.services.orgs.requestMembership(ctx.em, ctx.viewer, orgId) as Promise<MembershipRequestType>;
  }

  @Mutation(() => MembershipRequestType)
  approveMembership(
    @Arg("requestId", () => ID) requestId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipRequestType> {
    return ctx.services.orgs.approveMembership(ctx.em, ctx.viewer, requestId) as Promise<MembershipRequestType>;
  }

  @FieldResolver(() => OrganizationType)
  async organization(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<OrganizationType> {
    const org = await ctx.loaders.orgs.load(request.orgId);
    if (!org) throw errors.notFound("Organization", request.orgId);
    return org;
  }

  @FieldResolver(() => UserType)
  async user(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<UserType> {
    const user = await ctx.loaders.users.load(request.userId);
    if (!user) throw errors.notFound("User", request.userId);
    return user;
  }

  @FieldResolver(() => UserType, { nullable: true })
  approvedBy(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<UserType | null> {
    return request.approvedBy ? ctx.loaders.users.load(request.approvedBy) : Promise.resolve(null);
  }

  @FieldResolver(() => ChainTransactionType, { nullable: true })
  async tx(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<ChainTransactionType | null> {
    const tx = request.txId ? await ctx.loaders.txs.load(request.txId) : null;
    return tx ? toTransaction(tx) : null;
  }
}
