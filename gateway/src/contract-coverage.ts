import {
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  validate,
} from "graphql";

/** How the served API schema compares with the client-facing contract. */
export interface ContractCoverage {
  /** Root fields (`Query.me`) the contract names that no subgraph serves yet. */
  notServed: string[];
  /** Root fields served with a return type or arguments a contract client could not use. */
  mismatched: string[];
  /** Operations that validate against the served schema. */
  valid: string[];
  /** Operations that cannot run yet, with the contract fields they miss. */
  pending: { operation: string; missing: string[] }[];
  /** Operations that fail validation for any other reason (a real contract break). */
  invalid: { operation: string; errors: string[] }[];
}

const ROOTS = ["Query", "Mutation", "Subscription"] as const;

function signature(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.map(
    (a) => `${a.name}: ${String(a.type)}${a.defaultValue !== undefined ? ` = ${JSON.stringify(a.defaultValue)}` : ""}`,
  );
  return `(${args.sort().join(", ")}): ${String(field.type)}`;
}

/**
 * Whether a served field can answer every call a client writes against the contract's: the same
 * return type; each contract argument served with the same type, or made non-null but given a
 * default; extra served arguments optional.
 */
function compatible(contract: GraphQLField<unknown, unknown>, served: GraphQLField<unknown, unknown>): boolean {
  if (String(contract.type) !== String(served.type)) return false;
  for (const arg of contract.args) {
    const match = served.args.find((a) => a.name === arg.name);
    if (!match) return false;
    if (String(match.type) === String(arg.type)) continue;
    const relaxed = isNonNullType(match.type) && String(match.type.ofType) === String(arg.type);
    if (!relaxed || match.defaultValue === undefined) return false;
  }
  return served.args.every(
    (a) => contract.args.some((c) => c.name === a.name) || !isNonNullType(a.type) || a.defaultValue !== undefined,
  );
}

function rootType(schema: GraphQLSchema, root: (typeof ROOTS)[number]) {
  if (root === "Query") return schema.getQueryType();
  if (root === "Mutation") return schema.getMutationType();
  return schema.getSubscriptionType();
}

/**
 * Compares the API schema with the contract: root fields by name and signature, and each contract
 * operation by validation. A field the API schema lacks but the contract has is "not served yet";
 * an operation whose only errors are such fields is pending; any other difference is a break.
 */
export function contractCoverage(
  contract: GraphQLSchema,
  api: GraphQLSchema,
  operations: DocumentNode[],
): ContractCoverage {
  const coverage: ContractCoverage = { notServed: [], mismatched: [], valid: [], pending: [], invalid: [] };
  for (const root of ROOTS) {
    const fields = rootType(contract, root)?.getFields() ?? {};
    const served = rootType(api, root)?.getFields() ?? {};
    for (const [name, field] of Object.entries(fields)) {
      const actual = served[name];
      if (!actual) coverage.notServed.push(`${root}.${name}`);
      else if (!compatible(field, actual)) {
        coverage.mismatched.push(`${root}.${name}: contract ${signature(field)}, served ${signature(actual)}`);
      }
    }
  }
  for (const document of operations) {
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const operation of document.definitions) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = operation.name?.value ?? "(anonymous)";
      const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
      if (validate(contract, single).length > 0) {
        coverage.invalid.push({ operation: name, errors: ["does not validate against the contract itself"] });
        continue;
      }
      const errors = validate(api, single);
      if (errors.length === 0) {
        coverage.valid.push(name);
        continue;
      }
      const missing = errors.map((e) => missingField(e.message, contract));
      if (missing.every((m): m is string => m !== null)) {
        coverage.pending.push({ operation: name, missing: [...new Set(missing)] });
      } else {
        coverage.invalid.push({ operation: name, errors: errors.map((e) => e.message) });
      }
    }
  }
  return coverage;
}

/** `Cannot query field "x" on type "T".` for a field the contract has → "T.x"; anything else → null. */
function missingField(message: string, contract: GraphQLSchema): string | null {
  const match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(message);
  if (match) {
    const [, field, type] = match as unknown as [string, string, string];
    const contractType = contract.getType(type);
    if (contractType && "getFields" in contractType && field in contractType.getFields()) return `${type}.${field}`;
    return null;
  }
  const unknownType = /^Unknown type "(\w+)"/.exec(message);
  if (unknownType?.[1] && contract.getType(unknownType[1])) return unknownType[1];
  return null;
}

export const isOperation = (d: { kind: string }): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION;
