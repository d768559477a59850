import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildSchema, type DocumentNode, Kind, parse, specifiedRules, validate } from "graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  apiSchemaOf,
  CompositionError,
  composeSupergraph,
  EMPTY_SUPERGRAPH,
  readSubgraphSchemas,
} from "../src/compose.js";
import { gatewayConfigFromEnv, gatewayEnvSchema } from "../src/config.js";
import { contractCoverage } from "../src/contract-coverage.js";
import { useArmor } from "../src/plugins/use-armor.js";
import { ledgerSdl, votingSdl } from "./fixtures/subgraphs.js";

const gatewayDir = new URL("../", import.meta.url);
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFile(new URL(path, gatewayDir), "utf8");

const test = suite("composition and the client contract");

test("the committed supergraph is what the subgraphs' SDL composes to (run npm run compose if not)", async () => {
  const subgraphs = await readSubgraphSchemas(repoRoot);
  const composed = composeSupergraph(subgraphs);
  const committed = await read("supergraph.graphql");
  assert.ok(
    committed === composed,
    `gateway/supergraph.graphql is stale; run npm run compose -w @clearbook/gateway (subgraphs: ${subgraphs.map((s) => s.name).join(", ") || "none"})`,
  );
});

test("composition errors fail loudly", () => {
  const clash = votingSdl.replace(
    "type VoteTally { approve: Int! reject: Int! }",
    "type VoteTally { approve: Int! reject: Int! }\n  type Whoami { sub: Int }",
  );
  try {
    composeSupergraph([
      { name: "ledger", url: "http://l", sdl: ledgerSdl },
      { name: "voting", url: "http://v", sdl: clash },
    ]);
    assert.unreachable("composed a clash");
  } catch (error) {
    assert.instance(error, CompositionError);
    assert.ok((error as CompositionError).problems.length > 0);
  }
});

test("every served root field has the contract's name and shape; contract operations validate once served", async () => {
  const contract = buildSchema(await read("contract/schema.graphql"));
  const supergraph = await read("supergraph.graphql");
  const dir = new URL("contract/operations/", gatewayDir);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".graphql")).sort();
  const operations = await Promise.all(files.map(async (f) => parse(await readFile(new URL(f, dir), "utf8"))));
  if (supergraph === EMPTY_SUPERGRAPH) {
    console.log("  contract: no subgraph SDL yet; every contract root field is not served yet");
    return;
  }
  const coverage = contractCoverage(contract, apiSchemaOf(supergraph), operations);
  if (coverage.notServed.length > 0) {
    console.log(
      `  contract: ${coverage.notServed.length} root fields not served yet: ${coverage.notServed.join(", ")}`,
    );
  }
  for (const p of coverage.pending) console.log(`  contract: ${p.operation} waits for ${p.missing.join(", ")}`);
  assert.equal(coverage.mismatched, [], "root fields served with another shape than the contract's");
  assert.equal(coverage.invalid, [], "operations that break against the served schema");
});

test("every served contract operation passes the default query limits (partners persist them as they are)", async () => {
  const supergraph = await read("supergraph.graphql");
  if (supergraph === EMPTY_SUPERGRAPH) return;
  const api = apiSchemaOf(supergraph);
  const { limits } = gatewayConfigFromEnv(gatewayEnvSchema.parse({ NODE_ENV: "test" }), {
    supergraph: "supergraph.graphql",
    webDir: "web/dist",
  });
  const armor = useArmor({ maxDepth: limits.maxDepth, maxCost: limits.maxCost, maxAliases: limits.maxAliases });
  const dir = new URL("contract/operations/", gatewayDir);
  const refused: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".graphql"))) {
    const doc = parse(await readFile(new URL(file, dir), "utf8"));
    for (const definition of doc.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition] };
      if (validate(api, single, specifiedRules).length > 0) continue; // not served yet: the test above reports it
      const errors = validate(api, single, armor.validationRules);
      if (errors.length > 0) refused.push(`${definition.name?.value}: ${errors.map((e) => e.message).join("; ")}`);
    }
  }
  assert.equal(refused, []);
});

test.run();
