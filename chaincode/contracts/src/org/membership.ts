import type { Member, Organization } from "../api/documents.js";
import { IdentityRole } from "../api/protocol.js";
import type { Caller, ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";

/** Reads and role checks on organizations, shared by every contract that acts for one. */

export async function getOrganization(ctx: ClearbookContext, orgId: string): Promise<Organization> {
  const org = await ctx.read(KeyType.ORG, orgId);
  if (!org) throw fail.notFound("organization", orgId);
  return org;
}

export function getMember(ctx: ClearbookContext, orgId: string, userId: string): Promise<Member | null> {
  return ctx.read(KeyType.MEMBER, orgId, userId);
}

/** The caller's membership. Throws FORBIDDEN when the caller is not an approved member. */
export async function requireMember(ctx: ClearbookContext, orgId: string, caller: Caller): Promise<Member> {
  const member = await getMember(ctx, orgId, caller.userId);
  if (!member) throw fail.forbidden(`user ${caller.userId} is not a member of organization ${orgId}`);
  return member;
}

/** The caller's council membership. Throws FORBIDDEN when the caller is not on the council. */
export async function requireCouncil(ctx: ClearbookContext, orgId: string, caller: Caller): Promise<Member> {
  const member = await getMember(ctx, orgId, caller.userId);
  if (!member?.council) throw fail.forbidden(`user ${caller.userId} is not on the council of organization ${orgId}`);
  return member;
}

export function requireAdmin(caller: Caller): void {
  if (caller.role !== IdentityRole.ADMIN) throw fail.forbidden("only a platform admin may do this");
}
