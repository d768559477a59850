import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import { type GraphQLSchema, parse } from "graphql";
import { SUBGRAPHS, type SubgraphName } from "./config.js";

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

/** What the compose command writes when no subgraph has published its SDL yet. */
export const EMPTY_SUPERGRAPH = "# No subgraph has published subgraphs/<name>/schema.graphql yet; nothing to serve.\n";

export class CompositionError extends Error {
  override readonly name = "CompositionError";
  constructor(readonly problems: string[]) {
    super(`Composition failed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads `subgraphs/<name>/schema.graphql` for every known subgraph that has one, in a fixed order. */
export async function readSubgraphSchemas(repoRoot: string): Promise<SubgraphSdl[]> {
  const found: SubgraphSdl[] = [];
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
    try {
      const sdl = await readFile(join(repoRoot, "subgraphs", name, "schema.graphql"), "utf8");
      found.push({ name, url: SUBGRAPHS[name].url, sdl });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return found;
}

/**
 * Composes subgraph SDL into a supergraph with @apollo/composition. Routing URLs in the file are the
 * local defaults; the gateway overrides them from `<NAME>_URL` at run time.
 * @returns the supergraph SDL (or `EMPTY_SUPERGRAPH` when given no subgraphs).
 * @throws CompositionError listing every composition error.
 */
export function composeSupergraph(subgraphs: SubgraphSdl[]): string {
  if (subgraphs.length === 0) return EMPTY_SUPERGRAPH;
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return `${result.supergraphSdl.trimEnd()}\n`;
}

/**
 * The client-facing API schema of a supergraph (what @apollo/gateway serves), without loading a gateway.
 * @throws when the supergraph is invalid.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
