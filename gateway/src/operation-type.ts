import { createHash } from "node:crypto";
import { Kind, type OperationTypeNode, parse } from "graphql";

type OperationTypes = Map<string | null, OperationTypeNode>;

/**
 * Tells which kind of operation a document runs, cheaply enough to ask on every request before
 * Apollo parses it: documents are parsed once and remembered (a bounded map, cleared when full;
 * real clients send a few hundred distinct documents).
 */
export class OperationTypeCache {
  readonly #byDocument = new Map<string, OperationTypes | null>();
  /** `maxTokens` bounds the parse like graphql-armor does, so this is no way around the limit. */
  constructor(
    private readonly maxTokens = 2000,
    private readonly maxEntries = 1000,
  ) {}

  /** @returns "query", "mutation" or "subscription", or null when the document does not parse or name it. */
  typeOf(query: string, operationName: string | null): OperationTypeNode | null {
    // Keyed by hash: a thousand long documents would otherwise stay in memory as keys.
    const key = createHash("sha256").update(query).digest("base64");
    let types = this.#byDocument.get(key);
    if (types === undefined) {
      types = parseTypes(query, this.maxTokens);
      if (this.#byDocument.size >= this.maxEntries) this.#byDocument.clear();
      this.#byDocument.set(key, types);
    }
    if (!types) return null;
    if (operationName !== null) return types.get(operationName) ?? null;
    // Without a name, only a single-operation document is unambiguous.
    if (types.size !== 1) return null;
    return types.values().next().value ?? null;
  }
}

function parseTypes(query: string, maxTokens: number): OperationTypes | null {
  try {
    const types: OperationTypes = new Map();
    for (const definition of parse(query, { noLocation: true, maxTokens }).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION)
        types.set(definition.name?.value ?? null, definition.operation);
    }
    return types;
  } catch {
    return null;
  }
}
