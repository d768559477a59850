import { accessSync, constants } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** Where Fabric's release lives: its `bin/` (peer, orderer, configtxgen, osnadmin) and `config/`. */
export interface FabricBinaries {
  binDir: string;
  /** The release's default `core.yaml`, `orderer.yaml` and `configtx.yaml`. */
  configDir: string;
}

const TOOLS = ["peer", "orderer", "configtxgen", "osnadmin"] as const;
export type FabricTool = (typeof TOOLS)[number];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const readable = (path: string) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds Fabric the way a user who installed its release archive has it: `FABRIC_BIN_DIR` and
 * `FABRIC_CFG_PATH`, or `peer` on `PATH` with the release's `config/` beside its `bin/`.
 * @returns the binaries, or a list of what is missing.
 */
export function findFabric(
  env: Record<string, string | undefined> = process.env,
): { found: FabricBinaries } | { missing: string[] } {
  let binDir = env.FABRIC_BIN_DIR;
  if (!binDir) {
    const onPath = (env.PATH ?? "").split(delimiter).find((dir) => dir && executable(join(dir, "peer")));
    binDir = onPath;
  }
  if (!binDir) return { missing: ["FABRIC_BIN_DIR is not set and no `peer` is on PATH"] };
  const missing = TOOLS.filter((tool) => !executable(join(binDir, tool))).map((tool) => `${join(binDir, tool)}`);
  const configDir = env.FABRIC_CFG_PATH ?? join(dirname(binDir), "config");
  for (const file of ["core.yaml", "orderer.yaml"]) {
    if (!readable(join(configDir, file))) missing.push(`${join(configDir, file)} (set FABRIC_CFG_PATH)`);
  }
  return missing.length > 0 ? { missing } : { found: { binDir, configDir } };
}
