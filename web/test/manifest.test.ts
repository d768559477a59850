// The persisted-document manifest the gateway loads is exactly the app's operations, and the
// schema they are typed against is the gateway's API schema: a stale codegen run fails here.
import { readFile } from "node:fs/promises";
import { Supergraph } from "@apollo/federation-internals";
import { generate } from "@graphql-codegen/cli";
import { printSchema } from "graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import codegenConfig from "../codegen.js";
import { webManifest } from "../scripts/web-manifest.js";

const test = suite("the web app's persisted operations");
const webDir = new URL("..", import.meta.url);
const committed = JSON.parse(await readFile(new URL("persisted/manifest.json", webDir), "utf8"));

test("web/schema.graphql is the API schema of gateway/supergraph.graphql", async () => {
  const supergraph = await readFile(new URL("../gateway/supergraph.graphql", webDir), "utf8");
  const api = printSchema(Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema());
  const schema = await readFile(new URL("schema.graphql", webDir), "utf8");
  assert.ok(
    schema.includes(api),
    "stale schema: run npm run schema -w @clearbook/web && npm run codegen -w @clearbook/web",
  );
});

test("persisted/manifest.json matches the operations in src (ids are the bodies' sha256)", async () => {
  const cwd = process.cwd();
  process.chdir(new URL(".", webDir).pathname);
  try {
    const outputs = await generate({ ...codegenConfig, silent: true }, false);
    const documents = outputs.find((o: { filename: string }) => o.filename.endsWith("persisted-documents.json"));
    assert.ok(documents, "codegen wrote no persisted documents");
    assert.equal(
      webManifest(JSON.parse(documents.content)),
      committed,
      "stale manifest: run npm run codegen -w @clearbook/web",
    );
  } finally {
    process.chdir(cwd);
  }
  assert.ok(committed.operations.length >= 20);
  assert.ok(
    committed.operations.every((o: { name: string }) => o.name.startsWith("Web")),
    "web operations are named Web*",
  );
});

test("a hash that is not its body's sha256 is refused", () => {
  assert.throws(() => webManifest({ [`sha256:${"0".repeat(64)}`]: "query WebX { me { id } }" }), /hash mismatch/);
});

test.run();
