import { writeFile } from "node:fs/promises";
import { printSubgraphSdl } from "@clearbook/kit";
import { buildLedgerSchema } from "../graphql/schema.js";

// `npm run sdl -w @clearbook/ledger`: writes schema.graphql, which the gateway composes.
const target = new URL("../../schema.graphql", import.meta.url);
await writeFile(target, printSubgraphSdl(await buildLedgerSchema()));
process.stdout.write(`ledger: wrote ${target.pathname}\n`);
