import { writeFile } from "node:fs/promises";
import { printSubgraphSdl } from "@clearbook/kit";
import { buildVotingSchema } from "../graphql/schema.js";

// `npm run sdl -w @clearbook/voting`: writes schema.graphql, which the gateway composes.
const target = new URL("../../schema.graphql", import.meta.url);
await writeFile(target, printSubgraphSdl(await buildVotingSchema()));
process.stdout.write(`voting: wrote ${target.pathname}\n`);
