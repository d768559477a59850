import { createServer, type Server } from "node:http";
import type { ServiceMetrics } from "@clearbook/kit";
import { Counter, Histogram } from "prom-client";
import type { ChainOutcome, OutcomePublisher } from "./submission/chain-outcome.js";
import type { StageTimings, SubmissionStage } from "./submission/stage-timings.js";

/** The signer's own metrics, on the kit's per-service registry. */
export interface SignerMetrics {
  /** Wraps a publisher to count outcomes by type and reason. */
  countOutcomes(publish: OutcomePublisher): OutcomePublisher;
  /** A `StageTimings` sink for the stage histogram. */
  stages: Pick<StageTimings, "observe">;
}

export function createSignerMetrics(metrics: ServiceMetrics): SignerMetrics {
  const outcomes = new Counter({
    name: "signer_outcomes_total",
    help: "Chain command outcomes published on evt:chain, by type and reason.",
    labelNames: ["type", "reason"] as const,
    registers: [metrics.registry],
  });
  const stageSeconds = new Histogram({
    name: "signer_stage_seconds",
    help: "Time per chain command stage (load, endorse, record, commit, finish).",
    labelNames: ["stage"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  const stageChildren = new Map<SubmissionStage, ReturnType<typeof stageSeconds.labels>>();
  const reasonOf = (outcome: ChainOutcome) => (outcome.type === "TransactionRejected" ? outcome.data.reason : "");
  // One labelled child per type and reason, as for the stages: `inc(labels)` hashes the label object each time.
  const outcomeChildren = new Map<string, ReturnType<typeof outcomes.labels>>();
  const outcomeCounter = (type: string, reason: string) => {
    const key = `${type}\u0000${reason}`;
    let child = outcomeChildren.get(key);
    if (!child) {
      child = outcomes.labels({ type, reason });
      outcomeChildren.set(key, child);
    }
    return child;
  };
  return {
    countOutcomes: (publish) => async (outcome) => {
      await publish(outcome);
      outcomeCounter(outcome.type, reasonOf(outcome)).inc();
    },
    stages: {
      // One labelled child per stage: observing through a label object hashes the labels every time.
      observe: (stage: SubmissionStage, ms: number) => {
        let child = stageChildren.get(stage);
        if (!child) {
          child = stageSeconds.labels({ stage });
          stageChildren.set(stage, child);
        }
        child.observe(ms / 1000);
      },
    },
  };
}

/** Sends every stage duration to each sink. */
export function fanOutTimings(...sinks: Array<Pick<StageTimings, "observe">>): Pick<StageTimings, "observe"> {
  return {
    observe(stage, ms) {
      for (const sink of sinks) sink.observe(stage, ms);
    },
  };
}

/** `/metrics` (Prometheus text) and `/health` on `port`; the signer has no other HTTP surface. */
export async function serveMetrics(metrics: ServiceMetrics, port: number, host = "0.0.0.0"): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "text/plain" });
    res.end(req.url === "/health" ? "ok" : "not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return server;
}
