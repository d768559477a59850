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
  @Query(() => [OrganizationType], { description: "Every organization. Public." })
  organizations(@Ctx() ctx: LedgerContext): Promise<OrganizationType[]> {
    return ctx.services.orgs.organizations(ctx.em);
  }

  @Query(() => OrganizationType, {
    nullable: true,
    description: "One organization by id; null when there is none. Public.",
  })
  organization(
    @Arg("id", () => ID, { description: "The organization's id." }) id: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<OrganizationType | null> {
    return ctx.services.orgs.organization(ctx.em, id);
  }

  @Mutation(() => OrganizationType, {
    description:
      "Creates an organization on the chain with its founder as first council member (platform admins only). " +
      "Errors: UNAUTHENTICATED, FORBIDDEN (not an admin), BAD_USER_INPUT (name), NOT_FOUND (no such founder).",
  })
  createOrganization(
    @Arg("name", () => String, { description: "2 to 200 characters." }) name: string,
    @Arg("founderId", () => ID, { description: "The user who becomes its first council member." }) founderId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<OrganizationType> {
    return ctx.services.orgs.createOrganization(ctx.em, ctx.viewer, name, founderId);
  }

  @Mutation(() => MembershipType, {
    description:
      "Makes a member part of the council (the organization's council). Granting it again changes nothing. " +
      "Errors: UNAUTHENTICATED, FORBIDDEN (not council), NOT_FOUND (not a member).",
  })
  async grantCouncilRole(
    @Arg("orgId", () => ID, { description: "The organization." }) orgId: string,
    @Arg("userId", () => ID, { description: "The member who joins the council." }) userId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipType> {
    const m = await ctx.services.orgs.grantCouncilRole(ctx.em, ctx.viewer, orgId, userId);
    return { orgId: m.orgId, since: m.since, roles: m.council ? [Role.MEMBER, Role.COUNCIL] : [Role.MEMBER] };
  }

  @FieldResolver(() => MoneyScalar, {
    description: "What the treasury holds now, in integer minor units, read from the chain (committed entries only).",
  })
  treasuryBalance(@Root() org: OrganizationType, @Ctx() ctx: LedgerContext): Promise<bigint> {
    return ctx.services.reads.treasuryBalance(org.id);
  }

  @FieldResolver(() => UserConnectionType, {
    description: "The members, a page at a time. Public. Errors: BAD_USER_INPUT (first outside 1…200, bad cursor).",
  })
  async members(
    @Root() org: OrganizationType,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1 to 200; default 50." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "A cursor from the previous page's `endCursor`." })
    after: string | null,
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

  @FieldResolver(() => LedgerEntryConnectionType, {
    description: "The ledger, newest first, a page at a time. Public. Errors: BAD_USER_INPUT (page size, cursor).",
  })
  async entries(
    @Root() org: OrganizationType,
    @Arg("filter", () => EntryFilterInput, { nullable: true, description: "Only entries that match." })
    filter: EntryFilterInput | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "A cursor from the previous page's `endCursor`." })
    after: string | null,
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
  @Query(() => [MembershipRequestType], {
    description: "Requests to join an organization (its members only). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  membershipRequests(
    @Arg("orgId", () => ID, { description: "The organization." }) orgId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipRequestType[]> {
    return ctx.services.orgs.membershipRequests(ctx.em, ctx.viewer, orgId) as Promise<MembershipRequestType[]>;
  }

  @Mutation(() => MembershipRequestType, {
    description:
      "Asks to join an organization (signed-in users). Errors: UNAUTHENTICATED, NOT_FOUND, CONFLICT (already a " +
      "member, or the organization is still being created).",
  })
  requestMembership(
    @Arg("orgId", () => ID, { description: "The organization to join." }) orgId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipRequestType> {
    return ctx.services.orgs.requestMembership(ctx.em, ctx.viewer, orgId) as Promise<MembershipRequestType>;
  }

  @Mutation(() => MembershipRequestType, {
    description:
      "Approves a request to join (any member of the organization). Returns at once with the request PENDING; its `tx` follows the chain. Errors: UNAUTHENTICATED, " +
      "FORBIDDEN (not a member), NOT_FOUND, CONFLICT (no longer pending).",
  })
  approveMembership(
    @Arg("requestId", () => ID, { description: "The request's id." }) requestId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<MembershipRequestType> {
    return ctx.services.orgs.approveMembership(ctx.em, ctx.viewer, requestId) as Promise<MembershipRequestType>;
  }

  @FieldResolver(() => OrganizationType, { description: "The organization to join." })
  async organization(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<OrganizationType> {
    const org = await ctx.loaders.orgs.load(request.orgId);
    if (!org) throw errors.notFound("Organization", request.orgId);
    return org;
  }

  @FieldResolver(() => UserType, { description: "Who asked to join." })
  async user(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<UserType> {
    const user = await ctx.loaders.users.load(request.userId);
    if (!user) throw errors.notFound("User", request.userId);
    return user;
  }

  @FieldResolver(() => UserType, { nullable: true, description: "The member who approved it; null while pending." })
  approvedBy(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<UserType | null> {
    return request.approvedBy ? ctx.loaders.users.load(request.approvedBy) : Promise.resolve(null);
  }

  @FieldResolver(() => ChainTransactionType, {
    nullable: true,
    description: "The transaction that recorded the membership; null until approved.",
  })
  async tx(@Root() request: MembershipRequestType, @Ctx() ctx: LedgerContext): Promise<ChainTransactionType | null> {
    const tx = request.txId ? await ctx.loaders.txs.load(request.txId) : null;
    return tx ? toTransaction(tx) : null;
  }
}
