import { defineEntity, p } from "@mikro-orm/core";

/** Read model of an on-chain member (written by the indexer only). */
export const MembershipEntity = defineEntity({
  name: "Membership",
  tableName: "memberships",
  uniques: [{ properties: ["orgId", "userId"] }],
  properties: {
    id: p.string().primary().length(36),
    orgId: p.string().length(36),
    userId: p.string().length(36).index(),
    council: p.boolean(),
    since: p.datetime(3),
  },
});
export type Membership = InstanceType<typeof MembershipEntity.class>;
