import { defineEntity, p } from "@mikro-orm/core";

/** Read model of an organization; `status` is PENDING until the chain commits its creation. */
export const OrganizationEntity = defineEntity({
  name: "Organization",
  tableName: "organizations",
  properties: {
    id: p.string().primary().length(36),
    name: p.string().length(200),
    founderId: p.string().length(36),
    status: p.string().length(16),
    txId: p.string().length(64).nullable(),
    createdAt: p.datetime(3),
  },
});
export type Organization = InstanceType<typeof OrganizationEntity.class>;
