import { randomUUID } from "node:crypto";
import { type Clock, errors, type Viewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import type { ChainCommands } from "../chain/chain.port.js";
import { DeferredStatus, dependencyOn } from "../chain/deferred-commands.js";
import { submitRecorded } from "../chain/transactions.js";
import { DeferredCommandEntity } from "../db/deferred-command.entity.js";
import { type Membership, MembershipEntity } from "../db/membership.entity.js";
import { type MembershipRequest, MembershipRequestEntity } from "../db/membership-request.entity.js";
import { type Organization, OrganizationEntity } from "../db/organization.entity.js";
import { UserEntity } from "../db/user.entity.js";
import { requireAdmin, requireCouncil, requireMember, requireUser } from "./access.js";

/** Read-model states of rows that wait for the chain. */
export const OrgStatus = { PENDING: "PENDING", ACTIVE: "ACTIVE", FAILED: "FAILED" } as const;
export const RequestStatus = { PENDING: "PENDING", APPROVED: "APPROVED", REJECTED: "REJECTED" } as const;

export interface OrganizationServiceDeps {
  clock: Clock;
  chain: ChainCommands;
}

/**
 * Organizations and membership. Every change is a chain transaction signed as the acting user;
 * the rows here move to their final state when the indexer sees the commit.
 */
export function createOrganizationService(deps: OrganizationServiceDeps) {
  const now = () => new Date(deps.clock.now());

  return {
    /** @throws FORBIDDEN unless a platform admin, NOT_FOUND for an unknown founder, BAD_USER_INPUT for a bad name. */
    async createOrganization(
      em: EntityManager,
      viewer: Viewer,
      name: string,
      founderId: string,
    ): Promise<Organization> {
      const adminId = requireAdmin(viewer);
      const trimmed = name.trim();
      if (trimmed.length < 2 || trimmed.length > 200)
        throw errors.badInput("The name must have 2 to 200 characters.", "name");
      if (!(await em.findOne(UserEntity, { id: founderId }))) throw errors.notFound("User", founderId);
      return em.transactional(async (tx) => {
        const id = randomUUID();
        const txId = await submitRecorded(tx, deps.chain, deps.clock, {
          actorId: adminId,
          name: "org:CreateOrganization",
          args: [id, trimmed, founderId],
          target: { kind: "org", id },
        });
        return tx.create(OrganizationEntity, {
          id,
          name: trimmed,
          founderId,
          status: OrgStatus.PENDING,
          txId,
          createdAt: now(),
        });
      });
    },

    /**
     * @returns the new request, or the viewer's request that is already pending.
     * @throws NOT_FOUND for an unknown organization, CONFLICT for a member.
     */
    async requestMembership(em: EntityManager, viewer: Viewer, orgId: string): Promise<MembershipRequest> {
      const userId = requireUser(viewer);
      const org = await em.findOne(OrganizationEntity, { id: orgId });
      if (!org || org.status === OrgStatus.FAILED) throw errors.notFound("Organization", orgId);
      if (org.status !== OrgStatus.ACTIVE) throw errors.conflict("This organization is still being created on chain.");
      if (await em.findOne(MembershipEntity, { orgId, userId })) throw errors.conflict("You are already a member.");
      const pending = await em.findOne(MembershipRequestEntity, { orgId, userId, status: RequestStatus.PENDING });
      if (pending) return pending;
      return em.transactional(async (tx) => {
        const id = randomUUID();
        const txId = await submitRecorded(tx, deps.chain, deps.clock, {
          actorId: userId,
          name: "org:RequestMembership",
          args: [id, orgId],
          target: { kind: "request", id },
        });
        return tx.create(MembershipRequestEntity, {
          id,
          orgId,
          userId,
          status: RequestStatus.PENDING,
          approvedBy: null,
          txId,
          requestedAt: now(),
          approvedAt: null,
        });
      });
    },

    /** Any approved member may approve (as the chaincode allows). @throws NOT_FOUND, FORBIDDEN, CONFLICT. */
    async approveMembership(em: EntityManager, viewer: Viewer, requestId: string): Promise<MembershipRequest> {
      const request = await em.findOne(MembershipRequestEntity, { id: requestId });
      if (!request) throw errors.notFound("Membership request", requestId);
      const member = await requireMember(em, viewer, request.orgId);
      if (request.status !== RequestStatus.PENDING) throw errors.conflict("This request is no longer pending.");
      const target = { kind: "request", id: requestId } as const;
      const waiting = await em.findOne(DeferredCommandEntity, {
        targetKind: target.kind,
        targetId: requestId,
        name: "org:ApproveMembership",
        status: DeferredStatus.WAITING,
      });
      // An approval already waits for the request to commit: this one is a retry of it.
      if (waiting) return request;
      // Approving a request whose own transaction is still pending waits for it (decision 0300).
      const after = await dependencyOn(em, target, request.txId);
      return em.transactional(async (tx) => {
        const txId = await submitRecorded(tx, deps.chain, deps.clock, {
          actorId: member.userId,
          name: "org:ApproveMembership",
          args: [requestId],
          after,
          target,
        });
        if (txId) request.txId = txId;
        tx.persist(request);
        return request;
      });
    },

    /** @throws FORBIDDEN unless council of the org, NOT_FOUND when the user is not a member. */
    async grantCouncilRole(em: EntityManager, viewer: Viewer, orgId: string, userId: string): Promise<Membership> {
      const council = await requireCouncil(em, viewer, orgId);
      const target = await em.findOne(MembershipEntity, { orgId, userId });
      if (!target) throw errors.notFound("Member", userId);
      if (target.council) return target;
      await em.transactional(async (tx) => {
        await submitRecorded(tx, deps.chain, deps.clock, {
          actorId: council.userId,
          name: "org:GrantCouncil",
          args: [orgId, userId],
        });
      });
      return target;
    },

    /** Pending and decided requests of an organization, newest first. @throws FORBIDDEN for non-members. */
    async membershipRequests(em: EntityManager, viewer: Viewer, orgId: string): Promise<MembershipRequest[]> {
      await requireMember(em, viewer, orgId);
      return em.find(MembershipRequestEntity, { orgId }, { orderBy: { requestedAt: "desc", id: "desc" } });
    },

    organizations(em: EntityManager): Promise<Organization[]> {
      return em.find(OrganizationEntity, { status: OrgStatus.ACTIVE }, { orderBy: { name: "asc" } });
    },

    organization(em: EntityManager, id: string): Promise<Organization | null> {
      return em.findOne(OrganizationEntity, { id });
    },

    membershipsOf(em: EntityManager, userId: string): Promise<Membership[]> {
      return em.find(MembershipEntity, { userId }, { orderBy: { since: "asc" } });
    },

    /** Members ordered by `since`, then id (keyset pages); `after` is the membership id last seen. */
    async members(em: EntityManager, orgId: string, first: number, after: string | null) {
      const totalCount = await em.count(MembershipEntity, { orgId });
      const cursor = after ? await em.findOne(MembershipEntity, { id: after, orgId }) : null;
      if (after && !cursor) throw errors.badInput("The cursor is not valid.", "after");
      const rows = await em.find(
        MembershipEntity,
        cursor
          ? { orgId, $or: [{ since: { $gt: cursor.since } }, { since: cursor.since, id: { $gt: cursor.id } }] }
          : { orgId },
        { orderBy: { since: "asc", id: "asc" }, limit: first + 1 },
      );
      return { page: rows.slice(0, first), totalCount, hasNextPage: rows.length > first };
    },
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;
