import { errors, type Viewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { type Membership, MembershipEntity } from "../db/membership.entity.js";

/** @returns the signed-in user's id. @throws UNAUTHENTICATED for an anonymous viewer. */
export function requireUser(viewer: Viewer): string {
  if (!viewer.sub) throw errors.unauthenticated();
  return viewer.sub;
}

/** @throws UNAUTHENTICATED when anonymous, FORBIDDEN when not a platform admin. */
export function requireAdmin(viewer: Viewer): string {
  const userId = requireUser(viewer);
  if (!viewer.roles.includes("ADMIN")) throw errors.forbidden("Only a platform admin can do this.");
  return userId;
}

/** @returns the viewer's membership. @throws UNAUTHENTICATED, or FORBIDDEN when not a member of `orgId`. */
export async function requireMember(em: EntityManager, viewer: Viewer, orgId: string): Promise<Membership> {
  const userId = requireUser(viewer);
  const membership = await em.findOne(MembershipEntity, { orgId, userId });
  if (!membership) throw errors.forbidden("Only members of this organization can do this.");
  return membership;
}

/** @throws UNAUTHENTICATED, or FORBIDDEN when not on the council of `orgId`. */
export async function requireCouncil(em: EntityManager, viewer: Viewer, orgId: string): Promise<Membership> {
  const membership = await requireMember(em, viewer, orgId);
  if (!membership.council) throw errors.forbidden("Only the council of this organization can do this.");
  return membership;
}
