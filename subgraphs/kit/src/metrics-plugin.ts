import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { AppError } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";

/** Operation names come from clients: cap their length so a label cannot grow without bound. */
function operationLabel(name: string | null | undefined): string {
  return (name ?? "anonymous").slice(0, 64);
}

/** Counts requests and errors (by `extensions.code`) and times each request, per operation. */
export function metricsPlugin<TContext extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(started) {
      const stop = metrics.requestDuration.startTimer();
      let failed = false;
      const operation = () => operationLabel(started.operationName ?? started.request.operationName);
      return {
        async didEncounterErrors(context) {
          failed = true;
          for (const error of context.errors) {
            const original = error.originalError;
            const code =
              original instanceof AppError
                ? original.code
                : typeof error.extensions?.code === "string"
                  ? error.extensions.code
                  : "INTERNAL_SERVER_ERROR";
            metrics.errors.inc({ operation: operation(), code });
          }
        },
        async willSendResponse() {
          stop({ operation: operation() });
          metrics.requests.inc({ operation: operation(), status: failed ? "error" : "ok" });
        },
      };
    },
  };
}
