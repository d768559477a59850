// Composes subgraphs/<name>/schema.graphql (those that exist) into gateway/supergraph.graphql.
// Usage: npm run compose -w @clearbook/gateway [-- --check]   (--check: exit 1 when the file is stale)
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CompositionError, composeSupergraph, readSubgraphSchemas } from "../src/compose.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const target = fileURLToPath(new URL("../supergraph.graphql", import.meta.url));

try {
  const subgraphs = await readSubgraphSchemas(repoRoot);
  const supergraph = composeSupergraph(subgraphs);
  const names = subgraphs.map((s) => s.name).join(", ") || "none";
  if (process.argv.includes("--check")) {
    const committed = await readFile(target, "utf8").catch(() => "");
    if (committed !== supergraph) {
      console.error(
        `gateway/supergraph.graphql is stale (subgraphs: ${names}); run npm run compose -w @clearbook/gateway`,
      );
      process.exit(1);
    }
    console.log(`gateway/supergraph.graphql is up to date (subgraphs: ${names})`);
  } else {
    await writeFile(target, supergraph);
    console.log(`wrote gateway/supergraph.graphql from ${names}`);
  }
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}
