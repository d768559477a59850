import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { LedgerContext } from "../context.js";
import { Role } from "../enums.js";
import { OrganizationType } from "../types/organization.type.js";
import { MembershipType, UserType } from "../types/user.type.js";

@Resolver(() => UserType)
export class UserResolver {
  @FieldResolver(() => [MembershipType], { description: "The organizations the user belongs to." })
  async memberships(@Root() user: UserType, @Ctx() ctx: LedgerContext): Promise<MembershipType[]> {
    const rows = await ctx.services.orgs.membershipsOf(ctx.em, user.id);
    return rows.map((m) => ({
      orgId: m.orgId,
      since: m.since,
      roles: m.council ? [Role.MEMBER, Role.COUNCIL] : [Role.MEMBER],
    }));
  }
}

@Resolver(() => MembershipType)
export class MembershipResolver {
  @FieldResolver(() => OrganizationType, { description: "The organization." })
  async organization(@Root() membership: MembershipType, @Ctx() ctx: LedgerContext): Promise<OrganizationType> {
    const org = await ctx.loaders.orgs.load(membership.orgId);
    if (!org) throw new Error(`membership of unknown organization ${membership.orgId}`);
    return org;
  }
}
