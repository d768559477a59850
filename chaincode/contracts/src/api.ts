/**
 * The chaincode's public surface as plain types and `as const` tables, for the chain client:
 * documents (state and results), transactions (name, arguments, result) and events (name →
 * payload). No run-time dependency on fabric packages; safe to import from any service.
 */
export * from "./api/documents.js";
export * from "./api/events.js";
export * from "./api/protocol.js";
export * from "./api/rules.js";
export * from "./api/transactions.js";
