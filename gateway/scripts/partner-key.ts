// Manages partner API keys in the gateway's database.
// Usage: npm run partner-key -w @clearbook/gateway -- create <name> <scope,scope…>
//        (scopes are `<subgraph>:read` and `<subgraph>:write`, e.g. ledger:read,voting:read: a key
//        reaches only the subgraphs its scopes name, decision 0338)
//        npm run partner-key -w @clearbook/gateway -- list | revoke <id>

import { loadConfig } from "@clearbook/kit";
import { gatewayEnvSchema } from "../src/config.js";
import { createPartnerKeyStore } from "../src/partner-keys.js";

const env = loadConfig(gatewayEnvSchema);
const store = createPartnerKeyStore({ mysqlUrl: env.MYSQL_URL, database: env.GATEWAY_DATABASE });
const [command, ...args] = process.argv.slice(2);
try {
  await store.migrate();
  if (command === "create" && args[0]) {
    const scopes = (args[1] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const { partner, apiKey } = await store.create(args[0], scopes);
    console.log(`partner ${partner.name} (${partner.id}), scopes: ${scopes.join(", ") || "none"}`);
    console.log("API key (shown once; send it in the x-api-key header):");
    console.log(apiKey);
  } else if (command === "list") {
    for (const p of await store.list()) console.log(`${p.id}  ${p.name}  ${p.scopes.join(",")}`);
  } else if (command === "revoke" && args[0]) {
    console.log((await store.revoke(args[0])) ? "revoked" : "no such active key");
  } else {
    console.error("usage: partner-key create <name> <scope,scope…> | list | revoke <id>");
    process.exitCode = 2;
  }
} finally {
  await store.dispose();
}
