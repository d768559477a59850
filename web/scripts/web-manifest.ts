import { createHash } from "node:crypto";
import { Kind, type OperationDefinitionNode, parse } from "graphql";

/** Apollo's persisted query manifest, the format the gateway loads. */
export interface PersistedManifest {
  format: "apollo-persisted-query-manifest";
  version: 1;
  operations: { id: string; name: string; type: "query" | "mutation" | "subscription"; body: string }[];
}

/**
 * Builds the manifest from the client preset's persisted documents (`sha256:<hex>` → printed document),
 * sorted by operation name.
 * @throws Error when a hash is not the sha256 of its body or a document has no single named operation.
 */
export function webManifest(documents: Record<string, string>): PersistedManifest {
  const operations = Object.entries(documents).map(([key, body]) => {
    const id = key.replace(/^sha256:/, "");
    if (createHash("sha256").update(body).digest("hex") !== id) throw new Error(`document ${id}: hash mismatch`);
    const definitions = parse(body).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const [operation] = definitions;
    if (definitions.length !== 1 || !operation?.name) throw new Error(`document ${id}: needs one named operation`);
    return { id, name: operation.name.value, type: operation.operation, body };
  });
  operations.sort((a, b) => a.name.localeCompare(b.name));
  return { format: "apollo-persisted-query-manifest", version: 1, operations };
}
