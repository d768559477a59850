import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The realtime layer's Prometheus metrics, registered on the gateway's registry. */
export interface RealtimeMetrics {
  connections: Gauge;
  subscriptions: Gauge;
  groups: Gauge;
  eventsRead: Counter<"domain">;
  /** Event `at` → frames written to the sockets of one group. */
  eventLag: Histogram;
  executions: Counter<"outcome">;
  pushes: Counter;
  conflated: Counter;
  closes: Counter<"reason">;
}

export function createRealtimeMetrics(registry: Registry): RealtimeMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({ name: "clearbook_realtime_connections", help: "Open graphql-ws connections.", registers }),
    subscriptions: new Gauge({ name: "clearbook_realtime_subscriptions", help: "Active subscriptions.", registers }),
    groups: new Gauge({
      name: "clearbook_realtime_groups",
      help: "Subscription groups (same document, variables and authorization scope).",
      registers,
    }),
    eventsRead: new Counter({
      name: "clearbook_realtime_events_read_total",
      help: "Stream entries read from evt:* streams.",
      labelNames: ["domain"],
      registers,
    }),
    eventLag: new Histogram({
      name: "clearbook_realtime_event_lag_seconds",
      help: "From an event's append to its frames being written to subscribers' sockets.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    executions: new Counter({
      name: "clearbook_realtime_executions_total",
      help: "Refetch queries run through the federated executor (one per group per delivered event).",
      labelNames: ["outcome"],
      registers,
    }),
    pushes: new Counter({
      name: "clearbook_realtime_pushes_total",
      help: "next frames written to sockets.",
      registers,
    }),
    conflated: new Counter({
      name: "clearbook_realtime_conflated_events_total",
      help: "Events replaced by a later event of the same entity before they were pushed.",
      registers,
    }),
    closes: new Counter({
      name: "clearbook_realtime_closes_total",
      help: "Connections the gateway closed, by reason.",
      labelNames: ["reason"],
      registers,
    }),
  };
}
