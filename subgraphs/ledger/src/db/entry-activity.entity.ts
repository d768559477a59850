import { defineEntity, p } from "@mikro-orm/core";

/** One step in an entry's history: who did what, when, in which transaction. */
export const EntryActivityEntity = defineEntity({
  name: "EntryActivity",
  tableName: "entry_activity",
  properties: {
    /** Insertion order: the history reads in the order things happened, even within one millisecond. */
    id: p.bigint("string").primary().autoincrement(),
    entryId: p.string().length(36).index(),
    actorId: p.string().length(128),
    action: p.string().length(32),
    txId: p.string().length(64).nullable(),
    at: p.datetime(3),
  },
});
export type EntryActivity = InstanceType<typeof EntryActivityEntity.class>;
