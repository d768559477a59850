import { createErrorFormatter } from "@clearbook/kit";
import type { GraphQLFormattedError } from "graphql";

/** Apollo Server's own request-level codes, which describe the client's request, not our internals. */
const APOLLO_REQUEST_CODES = new Set([
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "INTROSPECTION_DISABLED",
  "MAX_RECURSIVE_SELECTIONS_EXCEEDED",
]);

/**
 * The kit's formatter (coded errors pass, anything else becomes a bare INTERNAL_SERVER_ERROR
 * outside development), plus Apollo Server's request-level codes such as the CSRF refusal
 * (BAD_REQUEST), which a client needs to see to fix its request. Stack traces never pass.
 */
export function createGatewayErrorFormatter(options: { development: boolean }) {
  const kit = createErrorFormatter(options);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === "string" && APOLLO_REQUEST_CODES.has(code) && !options.development) {
      return { message: formatted.message, extensions: { code } };
    }
    return kit(formatted, error);
  };
}
