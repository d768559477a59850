import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  parse,
  parseType,
  print,
  type SelectionSetNode,
  type VariableDefinitionNode,
  validate,
  visit,
} from "graphql";
import { isStreamId } from "./domain-event.js";
import type { SubscriptionRoute } from "./subscription-routes.js";

/** The client's `subscribe` message payload (graphql-ws `SubscribePayload`). */
export interface OperationPayload {
  readonly query: string;
  readonly operationName?: string | null | undefined;
  readonly variables?: Record<string, unknown> | null | undefined;
  readonly extensions?: Record<string, unknown> | null | undefined;
}

/** The variable the refetch query's root argument is bound to. */
export const ROOT_VARIABLE = "__rtRoot";

/** A subscription turned into the root query that refetches its result for each event. */
export interface SubscriptionPlan {
  readonly route: SubscriptionRoute;
  /** The key of the subscription field in the client's response (its alias or name). */
  readonly responseKey: string;
  /** The value of `route.argument`: events whose `data[route.eventKey]` equals it concern this subscription. */
  readonly matchValue: string;
  readonly document: DocumentNode;
  /** `print(document)`; part of the group key. */
  readonly documentText: string;
  /** The client's variables the refetch query still uses, plus the root argument when it comes from the subscription. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The stream entry id after which missed events should be replayed, from `extensions.lastEventId`. */
  readonly lastEventId: string | null;
}

export type OperationPlan = SubscriptionPlan;

export const isPlanErrors = (plan: OperationPlan | readonly GraphQLError[]): plan is readonly GraphQLError[] =>
  Array.isArray(plan);

const isDocumentErrors = (value: DocumentNode | readonly GraphQLError[]): value is readonly GraphQLError[] =>
  Array.isArray(value);

const fail = (message: string): readonly GraphQLError[] => [new GraphQLError(message)];

/**
 * Parsed and validated documents by query text, per schema: after a gateway restart every client
 * re-subscribes at once with the same few documents, and validation is the costly part of a subscribe.
 */
export interface DocumentCache {
  get(schema: GraphQLSchema, query: string): DocumentNode | readonly GraphQLError[];
  /** Memoizes `build` per cached document and key (the refetch query of an operation). */
  derive<T>(document: DocumentNode, key: string, build: () => T): T;
}

export function createDocumentCache(maxEntries = 1_000): DocumentCache {
  const bySchema = new WeakMap<GraphQLSchema, Map<string, DocumentNode | readonly GraphQLError[]>>();
  const derived = new WeakMap<DocumentNode, Map<string, unknown>>();
  return {
    derive<T>(document: DocumentNode, key: string, build: () => T): T {
      let entries = derived.get(document);
      if (!entries) {
        entries = new Map();
        derived.set(document, entries);
      }
      if (entries.has(key)) return entries.get(key) as T;
      const value = build();
      entries.set(key, value);
      return value;
    },
    get(schema, query) {
      let entries = bySchema.get(schema);
      if (!entries) {
        entries = new Map();
        bySchema.set(schema, entries);
      }
      const hit = entries.get(query);
      if (hit) return hit;
      let result: DocumentNode | readonly GraphQLError[];
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        result = errors.length > 0 ? errors : document;
      } catch (error) {
        result = error instanceof GraphQLError ? [error] : fail("The operation could not be parsed.");
      }
      // Oldest out first; a Map iterates in insertion order.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(query, result);
      return result;
    },
  };
}

/**
 * Validates a client operation against the API schema and, for a subscription, builds its refetch query.
 * @returns the plan, or the GraphQL errors to send back in an `error` message. Never throws.
 */
export function planOperation(
  schema: GraphQLSchema,
  routes: ReadonlyMap<string, SubscriptionRoute>,
  payload: OperationPayload,
  documents: DocumentCache = createDocumentCache(1),
): OperationPlan | readonly GraphQLError[] {
  const document = documents.get(schema, payload.query);
  if (isDocumentErrors(document)) return document;
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return fail("Unable to identify the operation.");
  // Queries and mutations go over HTTP, where rate limits, the partner safelist and APQ apply.
  if (operation.operation !== "subscription")
    return fail("Send queries and mutations over HTTP; the socket serves subscriptions.");
  const rawVariables = payload.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return coerced.errors;

  const [root, ...rest] = operation.selectionSet.selections;
  if (!root || rest.length > 0 || root.kind !== Kind.FIELD || root.directives?.length) {
    return fail("A subscription selects exactly one field, without fragments or directives at its root.");
  }
  const route = routes.get(root.name.value);
  const fieldDef = schema.getSubscriptionType()?.getFields()[root.name.value];
  if (!route || !fieldDef) return fail(`The subscription field "${root.name.value}" is not served by this gateway.`);
  const args = getArgumentValues(fieldDef, root, coerced.coerced);
  const matchValue = args[route.argument];
  if (typeof matchValue !== "string" && typeof matchValue !== "number") {
    return fail(`The subscription field "${route.field}" needs its "${route.argument}" argument.`);
  }

  // The refetch query depends on the document and operation only, never on variables.
  const refetch = documents.derive(document, payload.operationName ?? "", () => {
    const refetchArg = schema
      .getQueryType()
      ?.getFields()
      [route.refetch.field]?.args.find((a) => a.name === route.refetch.argument);
    if (!refetchArg) return null;
    const built = buildRefetchDocument(document, operation, root, route, String(refetchArg.type));
    return validate(schema, built.document).length === 0 ? { ...built, text: print(built.document) } : null;
  });
  if (!refetch) return fail(`The subscription field "${route.field}" cannot be resolved by the current schema.`);

  const variables: Record<string, unknown> = {};
  for (const name of refetch.clientVariables) if (name in rawVariables) variables[name] = rawVariables[name];
  if ("arg" in route.refetch.source) variables[ROOT_VARIABLE] = args[route.refetch.source.arg];
  const lastEventId = payload.extensions?.lastEventId;
  return {
    route,
    responseKey: root.alias?.value ?? root.name.value,
    matchValue: String(matchValue),
    document: refetch.document,
    documentText: refetch.text,
    variables,
    lastEventId: isStreamId(lastEventId) ? lastEventId : null,
  };
}

/** `query Name($used…, $__rtRoot: T) { <refetch.field>(<argument>: $__rtRoot) { <path…> { selection } } }`. */
function buildRefetchDocument(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: FieldNode,
  route: SubscriptionRoute,
  rootArgType: string,
): { document: DocumentNode; clientVariables: string[] } {
  let selectionSet: SelectionSetNode | undefined = root.selectionSet;
  for (const name of [...route.refetch.path].reverse()) {
    selectionSet = {
      kind: Kind.SELECTION_SET,
      selections: [
        { kind: Kind.FIELD, name: { kind: Kind.NAME, value: name }, ...(selectionSet ? { selectionSet } : {}) },
      ],
    };
  }
  const rootField: FieldNode = {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: route.refetch.field },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: route.refetch.argument },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ROOT_VARIABLE } },
      },
    ],
    ...(selectionSet ? { selectionSet } : {}),
  };
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const used = new Set<string>();
  const collect = { Variable: (node: { name: { value: string } }) => void used.add(node.name.value) };
  visit(rootField, collect);
  for (const fragment of fragments) visit(fragment, collect);
  // The subscription's own argument variables are usually not used by the refetch query any more,
  // and an unused variable definition fails validation.
  const kept = (operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value));
  const rootVariable: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ROOT_VARIABLE } },
    type: parseType(rootArgType),
  };
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    ...(operation.name ? { name: operation.name } : {}),
    variableDefinitions: [...kept, rootVariable],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [rootField] },
  };
  return {
    document: { kind: Kind.DOCUMENT, definitions: [query, ...fragments] },
    clientVariables: kept.map((d) => d.variable.name.value),
  };
}
