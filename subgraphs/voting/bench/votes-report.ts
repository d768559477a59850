import { cpus } from "node:os";
import { quantile } from "./stack.js";

export interface Push {
  /** `performance.now()` when it arrived. */
  t: number;
  total: number;
  approve: number;
  reject: number;
}

export interface VotesRun {
  voters: number;
  subscribers: number;
  concurrency: number;
  gatewayWorkers: string;
  /** `performance.now()` when each accepted vote was sent. */
  sentAt: readonly number[];
  /** Receipt latency of each accepted vote, ms. */
  answeredAt: readonly number[];
  /** Each subscriber's pushes, in arrival order. */
  pushes: readonly (readonly Push[])[];
  sent: { APPROVE: number; REJECT: number };
  refused: number;
  startedMs: number;
  committedMs: number;
  startedWall: number;
  /** Rows of the pipeline table. */
  timeline: readonly string[];
  /** Rows of the CPU table. */
  cpuRows: readonly string[];
  /** Load average at the start and the end. */
  load: [number, number];
}

/**
 * The report of a run as markdown. A vote's latency at a subscriber is the time from sending the
 * k-th vote (in send order) to that subscriber's first push counting k votes.
 * @returns the markdown and how many subscribers ended on exactly the votes sent.
 */
export function votesReport(r: VotesRun): { body: string; exact: number } {
  const sends = Float64Array.from(r.sentAt).sort();
  const expected = r.sentAt.length;
  const latencies = new Float64Array(r.subscribers * expected);
  let samples = 0;
  for (const seen of r.pushes) {
    let j = 0;
    for (let k = 1; k <= expected; k++) {
      while (j < seen.length && seen[j]!.total < k) j++;
      if (j >= seen.length) break;
      latencies[samples++] = seen[j]!.t - sends[k - 1]!;
    }
  }
  const sortedLatency = latencies.subarray(0, samples).sort();
  const finals = r.pushes.map((p) => p.at(-1));
  const exact = finals.filter((f) => f?.approve === r.sent.APPROVE && f?.reject === r.sent.REJECT).length;
  const durationS = (r.committedMs - r.startedMs) / 1000;
  const receipt = Float64Array.from(r.answeredAt).sort();
  const pushCounts = r.pushes.map((p) => p.length).sort((a, b) => a - b);
  const ms = (v: number) => `${Math.round(v)} ms`;

  const table = [
    "| figure | value |",
    "|---|---|",
    `| voters · subscribers · client concurrency · gateway workers | ${r.voters} · ${r.subscribers} · ${r.concurrency} · ${r.gatewayWorkers} |`,
    `| votes accepted (receipts) · refused | ${expected} · ${r.refused} |`,
    `| **votes committed per second** (first vote sent → all committed in the read model) | **${(expected / durationS).toFixed(0)}/s** (${durationS.toFixed(2)} s) |`,
    `| castVote receipt latency p50 / p99 (through the gateway) | ${ms(quantile(receipt, 0.5))} / ${ms(quantile(receipt, 0.99))} |`,
    `| **vote → tally push at the subscribers p50 / p99** | **${ms(quantile(sortedLatency, 0.5))} / ${ms(quantile(sortedLatency, 0.99))}** (${samples} samples) |`,
    `| pushes per subscriber min / median / max (conflated) | ${pushCounts[0]} / ${pushCounts[Math.floor(pushCounts.length / 2)]} / ${pushCounts.at(-1)} |`,
    `| votes sent APPROVE / REJECT | ${r.sent.APPROVE} / ${r.sent.REJECT} |`,
    `| subscribers whose last push equals the votes sent | **${exact} of ${r.subscribers}** |`,
  ].join("\n");
  const stages = [
    "| s | receipts | committed on chain (signer) | in the read model | seen by a subscriber |",
    "|---:|---:|---:|---:|---:|",
    ...r.timeline,
  ].join("\n");
  const body = [
    table,
    "",
    "CPU per vote by component (from /proc, over the burst until the last push; the gateway's count includes",
    `serving every subscriber's pushes). Machine load average (1 min) ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end,`,
    "other work included:",
    "",
    "| component | CPU per vote |",
    "|---|---:|",
    ...r.cpuRows,
    "",
    "Pipeline, sampled each second from the first vote:",
    "",
    stages,
    "",
    `Started ${new Date(r.startedWall).toISOString()}; ${cpus().length} cores shared by devpeer, signer, voting, gateway, MySQL, Redis and the`,
    `clients. Setup (${r.voters + 1} enrollments, ${2 * r.voters + 2} membership and proposal transactions through the signer) is not timed.`,
    "A vote's latency at a subscriber is the time from sending the k-th vote (in send order) to that subscriber's first push",
    "whose tally counts k votes; pushes are conflated by the gateway (REALTIME_MAX_PUSHES_PER_SECOND).",
  ].join("\n");
  return { body, exact };
}
