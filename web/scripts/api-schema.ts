// Writes web/schema.graphql: the API schema clients see (the gateway's supergraph without the
// federation machinery), which GraphQL Code Generator types the app's operations against.
// Usage: npm run schema -w @clearbook/web
import { readFile, writeFile } from "node:fs/promises";
import { Supergraph } from "@apollo/federation-internals";
import { printSchema } from "graphql";

const supergraph = await readFile(new URL("../../gateway/supergraph.graphql", import.meta.url), "utf8");
const api = Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema();
await writeFile(
  new URL("../schema.graphql", import.meta.url),
  `# Generated from gateway/supergraph.graphql by web/scripts/api-schema.ts; do not edit.\n${printSchema(api)}\n`,
);
console.log("wrote web/schema.graphql");
