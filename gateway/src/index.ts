export { type GatewayConfig, gatewayConfigFromEnv, gatewayEnvSchema, SUBGRAPHS } from "./config.js";
export { type GatewayContext, type Principal, scopeKey } from "./context.js";
export { createGateway, type Gateway, type GatewayDeps, GRAPHQL_PATH, type RealtimeHost } from "./gateway.js";
export { createPartnerKeyStore, type Partner, type PartnerKeyStore } from "./partner-keys.js";
export { buildManifest, type PersistedManifest, parseManifest } from "./persisted-manifest.js";
