// Writes the API schema baseline (gateway/api/schema.graphql), the reference (docs/api/README.md) and the
// error catalog (docs/api/errors.md) from the composed supergraph and the error registry.
// Usage: npm run api-docs -w @clearbook/gateway [-- --check | --accept-breaking "why partners can cope"]
// A breaking change against the committed baseline is refused unless --accept-breaking records it in
// gateway/api/acknowledged-breaking.json.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { breakingChanges, parseAcknowledged, unacknowledged } from "../src/api-docs/breaking.js";
import { apiFiles, generatedApiDocs } from "../src/api-docs/files.js";
import { undocumented } from "../src/api-docs/undocumented.js";

const { api, files } = await generatedApiDocs();
const readOr = (path: string, fallback: string) => readFile(path, "utf8").catch(() => fallback);
const acknowledged = parseAcknowledged(JSON.parse(await readOr(apiFiles.acknowledged, "[]")));
const baseline = await readOr(apiFiles.schema, "");
const fresh = baseline ? unacknowledged(await breakingChanges(baseline, api), acknowledged) : [];
const missing = undocumented(api);
if (missing.length > 0)
  console.error(`warning: ${missing.length} schema elements lack a description: ${missing.join(", ")}`);

if (process.argv.includes("--check")) {
  const stale = [];
  for (const [path, text] of Object.entries(files)) if ((await readOr(path, "")) !== text) stale.push(path);
  for (const c of fresh) console.error(`breaking: ${c.path}: ${c.message}`);
  if (stale.length) console.error(`stale: ${stale.join(", ")}; run npm run api-docs -w @clearbook/gateway`);
  process.exit(stale.length || fresh.length ? 1 : 0);
}

const why = process.argv[process.argv.indexOf("--accept-breaking") + 1];
if (fresh.length > 0) {
  if (!process.argv.includes("--accept-breaking") || !why) {
    for (const c of fresh) console.error(`breaking: ${c.path}: ${c.message}`);
    console.error('Partners\' operations may break. If intended: -- --accept-breaking "why partners can cope"');
    process.exit(1);
  }
  const date = new Date().toISOString().slice(0, 10);
  const next = [...acknowledged, ...fresh.map((c) => ({ ...c, reason: why, date }))];
  await writeFile(apiFiles.acknowledged, `${JSON.stringify(next, null, 2)}\n`);
}
for (const [path, text] of Object.entries(files)) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
console.log(`wrote ${Object.keys(files).length} API documentation files`);
