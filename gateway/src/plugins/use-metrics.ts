import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { GatewayContext } from "../context.js";

export interface GatewayMetrics {
  /** The registry served at /metrics; the realtime layer registers its gauges here too. */
  registry: Registry;
  operations: Counter<"operation" | "type">;
  duration: Histogram<"operation" | "type">;
  errors: Counter<"code">;
  /** Requests answered with another identical request's result, by layer (inbound, subgraph). */
  deduplicated: Counter<"layer">;
  /** Apollo Server plugin that records every executed operation. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Counts an error raised outside Apollo (rate limit, authentication, safelist). */
  countError(code: string): void;
  /** The text served at /metrics: this registry's, or every worker's when the gateway runs several. */
  scrape(): Promise<string>;
}

/** Operation names come from clients; past this many distinct names the rest count as "other". */
const MAX_OPERATION_LABELS = 500;

/** Prometheus metrics on the gateway's own registry (never prom-client's global one). */
export function useMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: "gateway" });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const operations = new Counter({
    name: "gateway_operations_total",
    help: "GraphQL operations executed, by operation name and type.",
    labelNames: ["operation", "type"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "gateway_operation_duration_seconds",
    help: "GraphQL operation latency from request start to response, by operation name and type.",
    labelNames: ["operation", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: "gateway_errors_total",
    help: "Errors returned to clients, by extensions.code.",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  const deduplicated = new Counter({
    name: "gateway_deduplicated_total",
    help: "Requests served from an identical in-flight request, by layer (inbound, subgraph).",
    labelNames: ["layer"] as const,
    registers: [registry],
  });
  const seen = new Set<string>();
  const label = (name: string | null | undefined) => {
    const value = name || "anonymous";
    if (seen.has(value)) return value;
    if (seen.size >= MAX_OPERATION_LABELS) return "other";
    seen.add(value);
    return value;
  };
  const countError = (code: string) => errors.inc({ code });

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, operation }) {
          const labels = { operation: label(operationName), type: operation?.operation ?? "unknown" };
          operations.inc(labels);
          duration.observe(labels, (performance.now() - started) / 1000);
          if (response.body.kind !== "single") return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            countError(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR");
          }
        },
      };
    },
  };
  const scrape = () => registry.metrics();
  return { registry, operations, duration, errors, deduplicated, plugin, countError, scrape };
}
