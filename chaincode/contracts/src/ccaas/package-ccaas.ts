import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CHAINCODE_NAME } from "../api/protocol.js";
import { buildCcaasPackage } from "./ccaas-package.js";

/**
 * `npm run package:ccaas`: writes dist/ccaas/<label>.tgz and prints its package id.
 * CLEARBOOK_CCAAS_ADDRESS (default 127.0.0.1:9999): where the peer dials the chaincode server.
 * CLEARBOOK_CCAAS_TLS (default false): whether the peer must use TLS to reach it.
 */
const packageRoot = resolve(__dirname, "../../..");

function main(): void {
  const problems: string[] = [];
  const address = process.env.CLEARBOOK_CCAAS_ADDRESS ?? "127.0.0.1:9999";
  if (!/^[A-Za-z0-9.-]+:[0-9]{1,5}$/.test(address))
    problems.push(`CLEARBOOK_CCAAS_ADDRESS must be host:port, got ${address}`);
  const tls = process.env.CLEARBOOK_CCAAS_TLS ?? "false";
  if (tls !== "true" && tls !== "false") problems.push(`CLEARBOOK_CCAAS_TLS must be true or false, got ${tls}`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  const label = `${CHAINCODE_NAME}_${version}`;
  const pkg = buildCcaasPackage({ label, address, tlsRequired: tls === "true" });
  const outDir = join(packageRoot, "dist", "ccaas");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${label}.tgz`);
  writeFileSync(file, pkg.tgz);
  console.log(`${file}\nCHAINCODE_ID=${pkg.packageId}`);
}

main();
