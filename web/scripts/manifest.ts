// Turns GraphQL Code Generator's persisted documents (src/gql/persisted-documents.json, hash → body)
// into the manifest the gateway loads (Apollo's persisted query manifest format, with names and types).
// Usage: npm run codegen -w @clearbook/web (runs codegen, then this)
import { readFile, writeFile } from "node:fs/promises";
import { webManifest } from "./web-manifest.js";

const documents = JSON.parse(await readFile(new URL("../src/gql/persisted-documents.json", import.meta.url), "utf8"));
const manifest = webManifest(documents);
await writeFile(new URL("../persisted/manifest.json", import.meta.url), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote web/persisted/manifest.json: ${manifest.operations.length} operations`);
