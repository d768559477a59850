import { CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema, type GraphQLSchema } from "graphql";
import { z } from "zod";

/** A breaking change between the committed API schema and the served one. */
export interface BreakingChange {
  /** Schema coordinate it touches (`Query.ballot`), or "" for the schema as a whole. */
  path: string;
  message: string;
}

/** `gateway/api/acknowledged-breaking.json`: breaking changes made on purpose, each with why partners can cope. */
const acknowledgedSchema = z.array(
  z.object({ path: z.string(), message: z.string().min(1), reason: z.string().min(1), date: z.string() }),
);
export type Acknowledged = z.infer<typeof acknowledgedSchema>;

/** @throws ZodError when the file's JSON is not a list of acknowledgements. */
export const parseAcknowledged = (json: unknown): Acknowledged => acknowledgedSchema.parse(json);

/** Every breaking change from `before` (SDL) to `after`, as @graphql-inspector/core classifies them. */
export async function breakingChanges(before: string, after: GraphQLSchema): Promise<BreakingChange[]> {
  const changes = await diff(buildSchema(before), after);
  return changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
    .map((c) => ({ path: c.path ?? "", message: c.message }));
}

/** The breaking changes no acknowledgement names (same path and message). */
export function unacknowledged(changes: BreakingChange[], acknowledged: Acknowledged): BreakingChange[] {
  return changes.filter((c) => !acknowledged.some((a) => a.path === c.path && a.message === c.message));
}
