import { type ChildProcess, execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { type StageSummary, SubmissionStage } from "../src/index.js";

/** Resolves when `child` prints `text`; rejects with its output when it exits or takes too long. */
export function waitForLine(child: ChildProcess, text: string, what: string, timeoutMs = 30_000): Promise<void> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

/** CPU seconds (user + system) a process has used so far. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function pidOf(name: string): number | undefined {
  try {
    return Number(execFileSync("pgrep", ["-o", "-x", name], { encoding: "utf8" }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export type Stages = Partial<Record<string, StageSummary>>;

/** Count-weighted merge of the signers' per-window summaries (percentiles are approximate). */
export function mergeStages(windows: Stages[]): Stages {
  const merged: Stages = {};
  for (const stage of Object.values(SubmissionStage)) {
    const parts = windows.map((w) => w[stage]).filter((p): p is StageSummary => p !== undefined);
    const count = parts.reduce((n, p) => n + p.count, 0);
    if (count === 0) continue;
    const weighted = (key: "meanMs" | "p50Ms" | "p99Ms") => parts.reduce((sum, p) => sum + p[key] * p.count, 0) / count;
    merged[stage] = { count, meanMs: weighted("meanMs"), p50Ms: weighted("p50Ms"), p99Ms: weighted("p99Ms") };
  }
  return merged;
}

export interface PhaseResult {
  stages: Stages;
  name: string;
  committed: number;
  rejected: number;
  retried: number;
  seconds: number;
  p50: number;
  p99: number;
  cpu: Record<string, number>;
  /** `signed_tx` statements the signers sent during the phase (each its own commit). */
  statements?: number;
}

/** The throughput, CPU and stage tables of docs/benchmarks.md. */
export function renderTables(results: PhaseResult[], processNames: string[]): { table: string; stageTable: string } {
  const names = processNames;
  const table = [
    "| path | committed | rejected | MVCC re-proposals | tx/s | p50 ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.committed} | ${r.rejected} | ${r.retried} | ${(r.committed / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
    ),
    "",
    "CPU seconds per 1,000 committed transactions (2 cores = 2 CPU-seconds per wall second):",
    "",
    `| path | ${names.join(" | ")} | total |`,
    `|---|${names.map(() => "---:").join("|")}|---:|`,
    ...results.map((r) => {
      const per = (k: string) => ((r.cpu[k] ?? 0) * 1000) / Math.max(1, r.committed);
      const total = names.reduce((sum, k) => sum + per(k), 0);
      return `| ${r.name} | ${names.map((k) => per(k).toFixed(2)).join(" | ")} | ${total.toFixed(2)} |`;
    }),
  ].join("\n");
  const stageTable = [
    "",
    "Inside the signer, per command (mean / p50 / p99 ms; count-weighted over 500 ms windows):",
    "",
    `| path | ${Object.values(SubmissionStage).join(" | ")} | SQL statements per tx |`,
    `|---|${Object.values(SubmissionStage)
      .map(() => "---:")
      .join("|")}|---:|`,
    ...results
      .filter((r) => Object.keys(r.stages).length > 0)
      .map((r) => {
        const cell = (stage: string) => {
          const s = r.stages[stage];
          return s ? `${s.meanMs.toFixed(1)} / ${s.p50Ms.toFixed(1)} / ${s.p99Ms.toFixed(1)}` : "–";
        };
        const statements = r.statements === undefined ? "–" : (r.statements / Math.max(1, r.committed)).toFixed(2);
        return `| ${r.name} | ${Object.values(SubmissionStage).map(cell).join(" | ")} | ${statements} |`;
      }),
  ].join("\n");
  return { table, stageTable };
}
