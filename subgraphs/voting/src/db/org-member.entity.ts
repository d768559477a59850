import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/**
 * An organization's members as the chain reports them (founder at creation, then approvals). Only
 * the eligibility snapshot of a new ballot reads it: members approved after a ballot opened do not
 * vote on it.
 */
export const OrgMember = defineEntity({
  name: "OrgMember",
  tableName: "org_member",
  properties: {
    orgId: p.string().primary().length(36),
    userId: p.string().primary().length(36),
    since: p.datetime(3),
  },
});
export type OrgMember = InferEntity<typeof OrgMember>;
