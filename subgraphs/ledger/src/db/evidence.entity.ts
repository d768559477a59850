import { defineEntity, p } from "@mikro-orm/core";

/** A declared evidence file; `uploadedAt` is set once bytes matching the declaration arrived. */
export const EvidenceEntity = defineEntity({
  name: "Evidence",
  tableName: "evidence",
  properties: {
    id: p.string().primary().length(36),
    uploaderId: p.string().length(36),
    fileName: p.string().length(255),
    contentType: p.string().length(100),
    size: p.integer(),
    sha256: p.string().length(64),
    uploadedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3),
  },
});
export type Evidence = InstanceType<typeof EvidenceEntity.class>;
