import type { CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

/**
 * Typed operations for the app (src/gql) and the persisted documents they are sent as: each document's
 * id is the sha256 of its printed body, the same id the gateway's manifest (persisted/manifest.json) uses.
 * Every selection set gets `__typename`, as urql adds it locally: the gateway runs the persisted body,
 * and Graphcache needs the typenames in the result to normalize it.
 */
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.ts", "src/**/*.tsx", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
      config: { scalars: { DateTime: "string", Money: "string" }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};
export default config;
