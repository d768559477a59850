import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed operations for the app (src/gql) and the persisted documents they are sent as: each document's
 * id is the sha256 of its printed body, the same id the gateway's manifest (persisted/manifest.json) uses.
 */
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.ts", "src/**/*.tsx", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
      config: { scalars: { DateTime: "string", Money: "string" }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};
export default config;
