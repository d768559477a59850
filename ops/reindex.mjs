#!/usr/bin/env node
// `npm run reindex [-- ledger|voting|signer ...]`: drops a service's read models and checkpoints and
// rebuilds them from block 0 of the chain its connection profile names, with progress. No names: all.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Services that follow the chain, with their package folders. */
export const REINDEXABLE = { ledger: "subgraphs/ledger", voting: "subgraphs/voting", signer: "chaincode/signer" };

/** Runs each service's `reindex` script in turn. @returns the exit code (the first failure's). */
export function reindex(names, say, env = process.env) {
  const unknown = names.filter((name) => !(name in REINDEXABLE));
  if (unknown.length) {
    say(`unknown service ${unknown.join(", ")}; one of ${Object.keys(REINDEXABLE).join(", ")}`);
    return 2;
  }
  for (const name of names.length ? names : Object.keys(REINDEXABLE)) {
    say(`${name}: rebuilding from block 0 …`);
    const result = spawnSync("npm", ["run", "--silent", "reindex"], {
      cwd: join(root, REINDEXABLE[name]),
      env,
      stdio: "inherit",
    });
    if (result.status !== 0) {
      say(`${name}: failed`);
      return result.status ?? 1;
    }
    say(`${name}: done`);
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = reindex(process.argv.slice(2), (line) => process.stdout.write(`[reindex] ${line}\n`));
}
