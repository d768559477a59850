export * from "./api.js";
export * from "./ballots/ballot-rules.js";
export * from "./config.js";
export * from "./graphql/schema.js";
export * from "./service.js";
