import "reflect-metadata";
import { buildSubgraphSchema, type GraphQLResolverMap, printSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type GraphQLSchema, parse } from "graphql";
import { type BuildSchemaOptions, buildSchema, createResolversMap } from "type-graphql";

/** The federation directives a subgraph may use; one version for all subgraphs keeps composition simple. */
export const FEDERATION_LINK = `extend schema
  @link(
    url: "https://specs.apollo.dev/federation/v2.7"
    import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@interfaceObject"]
  )`;

/** `__resolveReference` functions by type name, for entities other subgraphs extend. */
export type ReferenceResolvers = Record<
  string,
  { __resolveReference: (reference: Record<string, unknown>, context: unknown) => unknown }
>;

export type FederatedSchemaOptions = Omit<BuildSchemaOptions, "skipCheck">;

/**
 * Builds a subgraph schema from type-graphql resolvers: type-graphql builds the schema (classes with
 * `@Directive('@key(fields: "id")')` become entities), its SDL with directives is fed to
 * `@apollo/subgraph` (array form), and the resolvers are carried over plus `__resolveReference`s.
 *
 * Entity references may also be resolved by a resolver class method named `resolveReference`
 * decorated as usual; plain functions in `referenceResolvers` are the simplest path.
 */
export async function buildFederatedSchema(
  options: FederatedSchemaOptions,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  // skipCheck: a subgraph may have no Query of its own (it only extends entities).
  const schema = await buildSchema({ ...options, skipCheck: true });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers: GraphQLResolverMap<unknown> = { ...(createResolversMap(schema) as GraphQLResolverMap<unknown>) };
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...reference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}

/** The subgraph SDL (with federation directives) that composition reads; write it to `<service>.graphql`. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}
