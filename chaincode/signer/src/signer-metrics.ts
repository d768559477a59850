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
  // One labelled child per label set: observing through a label object hashes the labels every time.
  const stageChild = memoize((stage: SubmissionStage) => stageSeconds.labels({ stage }));
  const outcomeChild = memoize((key: string) => {
    const [type = "", reason = ""] = key.split("\u0000");
    return outcomes.labels({ type, reason });
  });
  const reasonOf = (outcome: ChainOutcome) => (outcome.type === "TransactionRejected" ? outcome.data.reason : "");
  return {
    countOutcomes: (publish) => async (outcome) => {
      await publish(outcome);
      outcomeChild(`${outcome.type}\u0000${reasonOf(outcome)}`).inc();
    },
    stages: {
      observe: (stage: SubmissionStage, ms: number) => stageChild(stage).observe(ms / 1000),
    },
  };
}

/** `make(key)` once per key, then the same value. */
function memoize<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
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

/**
 * `/metrics` (Prometheus text) and `/health` on `port`; the signer has no other HTTP surface. Bound
 * to loopback unless told otherwise (`SIGNER_METRICS_HOST`): the signer holds every private key,
 * and its metrics name streams and timings an outsider has no business reading.
 */
export async function serveMetrics(metrics: ServiceMetrics, port: number, host = "127.0.0.1"): Promise<Server> {
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
