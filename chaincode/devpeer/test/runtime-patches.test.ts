import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const patches = suite("runtime patches");

/** Runs the fixture in a fresh process (in this one an earlier suite may have started a patched devpeer). */
async function replacedIn(patchSet: "all" | "none"): Promise<{ onImport: string[]; atStart: string[] }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "test/fixtures/import-patches-nothing.ts", patchSet],
    { cwd: packageDir, env: { ...process.env, NODE_OPTIONS: "" }, timeout: 30_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop() ?? "null");
}

patches(
  "importing the devpeer replaces nothing in fabric-shim, winston or @fidm/x509; starting it with patches does",
  async () => {
    const [all, none] = await Promise.all([replacedIn("all"), replacedIn("none")]);
    assert.equal(all, { onImport: [], atStart: ["handleParameters", "ClientIdentity", "fromPEM", "winstonWrite"] });
    assert.equal(none, { onImport: [], atStart: [] });
  },
);

patches.run();
