import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { missingEntries, platformOf } from "../lockfile.mjs";

const Lockfile = suite("ops/lockfile.mjs");

Lockfile("guesses the platform fields of native builds from their names", () => {
  assert.equal(platformOf("@turbo/windows-64"), { os: ["win32"], cpu: ["x64"] });
  assert.equal(platformOf("@biomejs/cli-linux-x64-musl"), { os: ["linux"], cpu: ["x64"], libc: ["musl"] });
  assert.equal(platformOf("@biomejs/cli-darwin-arm64"), { os: ["darwin"], cpu: ["arm64"] });
});

Lockfile("adds only the platform builds npm left out, never a real dependency", () => {
  const lock = {
    packages: {
      "node_modules/tool": { optionalDependencies: { "@tool/cli-darwin-arm64": "1.0.0", "helper-lib": "2.0.0" } },
    },
  };
  assert.equal(Object.keys(missingEntries(lock)), ["node_modules/@tool/cli-darwin-arm64"]);
});

Lockfile("the committed lockfile is installable with npm ci on every platform", () => {
  const script = fileURLToPath(new URL("../lockfile.mjs", import.meta.url));
  const result = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
  assert.is(result.status, 0, result.stderr);
});

Lockfile.run();
