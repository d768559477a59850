import { createHash } from "node:crypto";
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  visit,
} from "graphql";
import { z } from "zod";

/** Apollo's persisted query manifest format (what `generate-persisted-query-manifest` writes). */
const manifestSchema = z.object({
  format: z.literal("apollo-persisted-query-manifest"),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string(),
      type: z.enum(["query", "mutation", "subscription"]),
      body: z.string().min(1),
    }),
  ),
});
export type PersistedManifest = z.infer<typeof manifestSchema>;
export type PersistedOperation = PersistedManifest["operations"][number];

export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Parses a manifest file's JSON.
 * @throws Error naming the first problem, or when an id is not the sha256 of its body.
 */
export function parseManifest(json: unknown): PersistedManifest {
  const manifest = manifestSchema.parse(json);
  for (const operation of manifest.operations) {
    if (sha256Hex(operation.body) !== operation.id) {
      throw new Error(`persisted operation ${operation.name}: id is not the sha256 of its body`);
    }
  }
  return manifest;
}

function fragmentsUsed(node: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): void {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) return;
      seen.add(name);
      fragmentsUsed(fragment, fragments, seen);
    },
  });
}

/**
 * Builds a manifest from operation documents: one entry per named operation, its body the
 * printed operation followed by the fragments it uses (sorted by name), its id the body's sha256.
 * @throws Error on an anonymous or duplicated operation name.
 */
export function buildManifest(sources: string[]): PersistedManifest {
  const documents: DocumentNode[] = sources.map((source) => parse(source, { noLocation: true }));
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const document of documents) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    }
  }
  const names = new Set<string>();
  const entries = operations.map((operation): PersistedOperation => {
    const name = operation.name?.value;
    if (!name) throw new Error("every persisted operation needs a name");
    if (names.has(name)) throw new Error(`operation name ${name} is used twice`);
    names.add(name);
    const used = new Set<string>();
    fragmentsUsed(operation, fragments, used);
    const parts = [operation, ...[...used].sort().map((f) => fragments.get(f) as FragmentDefinitionNode)];
    const body = parts.map((part) => print(part)).join("\n\n");
    return { id: sha256Hex(body), name, type: operation.operation, body };
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return { format: "apollo-persisted-query-manifest", version: 1, operations: entries };
}

/**
 * One manifest holding every operation of `manifests` (the gateway's own and each client's), sorted
 * by name. An id listed twice is kept once (its body is the same: the id is the body's hash).
 * @throws Error when two different operations share a name, so a client's operation cannot
 *   silently shadow another's in logs and metrics.
 */
export function mergeManifests(manifests: readonly PersistedManifest[]): PersistedManifest {
  const byId = new Map<string, PersistedOperation>();
  const idByName = new Map<string, string>();
  for (const operation of manifests.flatMap((m) => m.operations)) {
    const seen = idByName.get(operation.name);
    if (seen !== undefined && seen !== operation.id) {
      throw new Error(`persisted operation name ${operation.name} is used by two different operations`);
    }
    idByName.set(operation.name, operation.id);
    byId.set(operation.id, operation);
  }
  const operations = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { format: "apollo-persisted-query-manifest", version: 1, operations };
}
