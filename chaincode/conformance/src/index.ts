export { type ConformanceContext, newRunId, registerChecks } from "./checks.js";
export { fabricAvailability, GATEWAY_LIMIT, startDevpeerTarget, startFabricTarget, type Target } from "./target.js";
