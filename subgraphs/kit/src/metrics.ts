import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** The metrics every subgraph exports, registered on the service's own registry. */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<"operation" | "status">;
  requestDuration: Histogram<"operation">;
  errors: Counter<"operation" | "code">;
  /** Stream entries by outcome: handled, duplicate, retry, dead_lettered, claimed. */
  streamEntries: Counter<"stream" | "group" | "outcome">;
  /** Outbox rows moved to Redis. */
  outboxRelayed: Counter<"domain">;
}

/**
 * Creates a registry per service (never prom-client's global one, so tests and several servers in
 * one process do not collide), with Node's default metrics and the request metrics.
 */
export function createMetrics(service: string, options: { defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "graphql_requests_total",
    help: "GraphQL requests by operation name and outcome.",
    labelNames: ["operation", "status"] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "GraphQL request latency by operation name.",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: "graphql_errors_total",
    help: "GraphQL errors by operation name and extensions.code.",
    labelNames: ["operation", "code"] as const,
    registers: [registry],
  });
  const streamEntries = new Counter({
    name: "stream_entries_total",
    help: "Stream entries taken by consumer groups, by outcome.",
    labelNames: ["stream", "group", "outcome"] as const,
    registers: [registry],
  });
  const outboxRelayed = new Counter({
    name: "outbox_relayed_total",
    help: "Outbox rows appended to their command stream.",
    labelNames: ["domain"] as const,
    registers: [registry],
  });
  return { registry, requests, requestDuration, errors, streamEntries, outboxRelayed };
}
