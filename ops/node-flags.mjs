// The node flags a component runs with, read from its package.json `start` script
// (`node --max-semi-space-size=32 --import tsx src/main.ts` → ["--max-semi-space-size=32"]), so that
// `npm start`, `npm run start -w …` and the benchmarks start each process with the same V8 settings,
// written down in one place (decision 0160 for the devpeer's and the signer's young generation).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** @returns the `--flags` between `node` and `--import` in `<dir>/package.json`'s start script. */
export function startNodeFlags(dir) {
  const script = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts?.start ?? "";
  const words = script.trim().split(/\s+/);
  if (words[0] !== "node") return [];
  const flags = [];
  for (const word of words.slice(1)) {
    if (word === "--import" || !word.startsWith("--")) break;
    flags.push(word);
  }
  return flags;
}
