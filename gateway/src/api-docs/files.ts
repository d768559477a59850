import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { lexicographicSortSchema, printSchema } from "graphql";
import { apiSchemaOf } from "../compose.js";
import { renderErrorCatalog, renderReference } from "./reference.js";

const gatewayDir = new URL("../../", import.meta.url);

/** The files the API documentation consists of, by path. */
export const apiFiles = {
  supergraph: fileURLToPath(new URL("supergraph.graphql", gatewayDir)),
  /** The API schema partners integrated against: the baseline of the breaking-change check. */
  schema: fileURLToPath(new URL("api/schema.graphql", gatewayDir)),
  acknowledged: fileURLToPath(new URL("api/acknowledged-breaking.json", gatewayDir)),
  reference: fileURLToPath(new URL("../docs/api/README.md", gatewayDir)),
  errors: fileURLToPath(new URL("../docs/api/errors.md", gatewayDir)),
} as const;

/** What the generated files should hold, from the committed supergraph and the error registry. */
export async function generatedApiDocs() {
  const api = apiSchemaOf(await readFile(apiFiles.supergraph, "utf8"));
  return {
    api,
    files: {
      [apiFiles.schema]: `${printSchema(lexicographicSortSchema(api)).trimEnd()}\n`,
      [apiFiles.reference]: renderReference(api),
      [apiFiles.errors]: renderErrorCatalog(),
    } as Record<string, string>,
  };
}
