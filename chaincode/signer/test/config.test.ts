import { ConfigError, DEV_INTERNAL_SECRET, deriveDevCommandKey } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { COMMAND_PRODUCERS, loadSignerEnv } from "../src/index.js";

const config = suite("signer configuration");
const MASTER = Buffer.alloc(32, 1).toString("base64");

function problemsOf(env: Record<string, string>): string {
  try {
    loadSignerEnv(env);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

config("production requires every command key; anything not development or test is production", () => {
  const base = { CLEARBOOK_INTERNAL_SECRET: "s".repeat(32), SIGNER_MASTER_KEY: MASTER };
  assert.match(problemsOf({ ...base, NODE_ENV: "production" }), /SIGNER_COMMAND_KEYS: is required in production/);
  const configured = loadSignerEnv({
    ...base,
    NODE_ENV: "production",
    SIGNER_COMMAND_KEYS: `ledger=${"l".repeat(32)},voting=${"v".repeat(32)}`,
  });
  assert.equal([...configured.commandKeys.keys()], ["ledger", "voting"]);
  assert.equal(configured.commandKeys.get("ledger"), [Buffer.from("l".repeat(32))]);
  assert.match(
    problemsOf({ ...base, NODE_ENV: "production", SIGNER_COMMAND_KEYS: "ledger=short" }),
    /SIGNER_COMMAND_KEYS: the key of ledger must have at least 32 characters/,
  );
  // The secret never appears in the message.
  assert.not.match(
    problemsOf({ ...base, NODE_ENV: "production", SIGNER_COMMAND_KEYS: "ledger=short" }),
    /"ledger=short"/,
  );
});

config("development derives each producing service's key from the internal secret", () => {
  const env = loadSignerEnv({ NODE_ENV: "development" });
  assert.equal([...env.commandKeys.keys()].sort(), [...COMMAND_PRODUCERS].sort());
  assert.equal(
    Buffer.from(env.commandKeys.get("voting") as Uint8Array),
    Buffer.from(deriveDevCommandKey(DEV_INTERNAL_SECRET, "voting")),
  );
  assert.is(env.SIGNER_PROPOSAL_MAX_SKEW_MS, 120_000);
});

config.run();
