import { defineEntity, p } from "@mikro-orm/core";

/** A request to join an organization: PENDING, APPROVED once the chain commits the approval, or REJECTED when a transaction fails. */
export const MembershipRequestEntity = defineEntity({
  name: "MembershipRequest",
  tableName: "membership_requests",
  properties: {
    id: p.string().primary().length(36),
    orgId: p.string().length(36).index(),
    userId: p.string().length(36).index(),
    status: p.string().length(16),
    approvedBy: p.string().length(128).nullable(),
    txId: p.string().length(64).nullable(),
    requestedAt: p.datetime(3),
    approvedAt: p.datetime(3).nullable(),
  },
});
export type MembershipRequest = InstanceType<typeof MembershipRequestEntity.class>;
