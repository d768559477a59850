import { defineEntity, p } from "@mikro-orm/core";

/** A person with a login. `platformRoles` holds platform-wide roles (ADMIN); org roles live in memberships. */
export const UserEntity = defineEntity({
  name: "User",
  tableName: "users",
  properties: {
    id: p.string().primary().length(36),
    email: p.string().length(254).unique(),
    displayName: p.string().length(120),
    passwordHash: p.string().length(255),
    platformRoles: p.json<string[]>(),
    /** Set once the signer has enrolled the user's Fabric identity. */
    enrolledAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3),
  },
});
export type User = InstanceType<typeof UserEntity.class>;
