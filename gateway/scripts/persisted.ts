// Builds gateway/persisted/manifest.json (Apollo's persisted query manifest format) from
// gateway/contract/operations/*.graphql. Usage: npm run persisted -w @clearbook/gateway
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildManifest } from "../src/persisted-manifest.js";

const operationsDir = fileURLToPath(new URL("../contract/operations/", import.meta.url));
const target = fileURLToPath(new URL("../persisted/manifest.json", import.meta.url));

const files = (await readdir(operationsDir)).filter((f) => f.endsWith(".graphql")).sort();
const sources = await Promise.all(files.map((f) => readFile(`${operationsDir}${f}`, "utf8")));
const manifest = buildManifest(sources);
await writeFile(target, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `wrote gateway/persisted/manifest.json: ${manifest.operations.length} operations from ${files.length} files`,
);
