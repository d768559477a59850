// Writes one benchmark's results into docs/benchmarks.md, between its markers, with the machine and the date.
// Usage from a benchmark: import { recordBenchmark } from "<repo>/ops/bench/record.mjs";
//   await recordBenchmark("chain", "markdown body (tables, notes)");
// and say where the figures went: `recordedWhere(await recordBenchmark(…))`.

import { readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));

/** One line that says where and when a figure was measured. */
export function machineLine(now = new Date()) {
  const cpu = cpus()[0]?.model?.trim() ?? "unknown CPU";
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `Measured ${now.toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${cpu}, ${gib} GiB RAM, Node ${process.version}.`;
}

/**
 * Replaces the section `<!-- bench:NAME -->…<!-- /bench:NAME -->` of docs/benchmarks.md
 * (appending it when missing) with a heading, the machine line and `body`.
 * @returns the file written, or undefined when `BENCH_RECORD=0` left it alone.
 */
export async function recordBenchmark(name, body, title = `npm run bench:${name}`) {
  // BENCH_RECORD=0: a trial run (e.g. while profiling) prints its figures but leaves the record alone.
  if (process.env.BENCH_RECORD === "0") return undefined;
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n## \`${title}\`\n\n${machineLine()}\n\n${body.trim()}\n${end}`;
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch {
    text =
      "# Benchmarks\n\nFigures written by the benchmark scripts themselves; rerun a script to refresh its section.\n";
  }
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(file, text);
  return file;
}

/** The line a benchmark prints after recording: where its figures went. */
export function recordedWhere(file) {
  return file ? `recorded in ${file}` : "not recorded (BENCH_RECORD=0)";
}
