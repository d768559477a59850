import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  canonicalCommand,
  deriveDevCommandKey,
  isProductionEnv,
  parseCommandKeys,
  resolveCommandKey,
  signCommandEntry,
  verifyCommandEntry,
} from "../src/command-auth.js";
import { PermanentError } from "../src/command-entry.js";
import { ConfigError, commandKeyEnv, parseEnv, requireCommandKeyInProduction, serviceEnv } from "../src/config.js";

const auth = suite("command entry signatures");
const ledgerKey = Buffer.from("k".repeat(32));
const keys = new Map([["ledger", ledgerKey]]);
const fields = { id: "c-1", type: "ledger:ApproveDeposit", payload: '{"args":["e1"]}', at: "1700000000000" };

function signed(domain = "ledger", signing = { service: "ledger", key: ledgerKey }) {
  const [svcName, svc, sigName, sig] = signCommandEntry(signing, domain, fields);
  return { ...fields, [svcName]: svc, [sigName]: sig };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.instance(error, PermanentError);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

auth("verifies an entry signed with its service's key and names the service", () => {
  assert.is(verifyCommandEntry(keys, "ledger", signed()), "ledger");
});

auth("refuses an unsigned entry, an unknown service, a wrong key, and any changed field", () => {
  assert.match(
    refusal(() => verifyCommandEntry(keys, "ledger", fields)),
    /UNAUTHENTICATED: .*not signed/,
  );
  assert.match(
    refusal(() => verifyCommandEntry(keys, "ledger", signed("ledger", { service: "gateway", key: ledgerKey }))),
    /no command key for service "gateway"/,
  );
  const forged = signed("ledger", { service: "ledger", key: Buffer.from("x".repeat(32)) });
  assert.match(
    refusal(() => verifyCommandEntry(keys, "ledger", forged)),
    /does not match service ledger/,
  );
  for (const name of ["id", "type", "payload", "at"] as const) {
    const changed = { ...signed(), [name]: `${fields[name]}0` };
    assert.match(
      refusal(() => verifyCommandEntry(keys, "ledger", changed)),
      /does not match/,
      name,
    );
  }
  // Moved to another stream, it no longer verifies: the stream's domain is signed too.
  assert.match(
    refusal(() => verifyCommandEntry(keys, "voting", signed("ledger"))),
    /does not match/,
  );
  assert.match(
    refusal(() => verifyCommandEntry(keys, "ledger", { ...signed(), sig: "AA" })),
    /does not match/,
  );
});

auth("accepts either key of a service listed twice (a rotation), and only those", () => {
  const oldKey = "o".repeat(32);
  const newKey = "n".repeat(32);
  const rotating = parseCommandKeys(`ledger=${oldKey},ledger=${newKey}`);
  for (const key of [oldKey, newKey]) {
    const entry = signed("ledger", { service: "ledger", key: Buffer.from(key) });
    assert.is(verifyCommandEntry(rotating, "ledger", entry), "ledger");
  }
  const other = signed("ledger", { service: "ledger", key: Buffer.from("x".repeat(32)) });
  assert.match(
    refusal(() => verifyCommandEntry(rotating, "ledger", other)),
    /does not match/,
  );
  assert.match(
    refusal(() => verifyCommandEntry(new Map([["ledger", []]]), "ledger", signed())),
    /no command key/,
  );
});

auth("the canonical form cannot be shifted between fields", () => {
  const a = canonicalCommand("ledger", "ledger", { id: "a", type: "b,c", payload: "{}", at: "1" });
  const b = canonicalCommand("ledger", "ledger", { id: "a,b", type: "c", payload: "{}", at: "1" });
  assert.is.not(a, b);
});

auth("development keys are derived per service from the internal secret; production needs a configured key", () => {
  const voting = deriveDevCommandKey("secret", "voting");
  assert.is(Buffer.from(voting).length, 32);
  assert.is.not(
    Buffer.from(voting).toString("hex"),
    Buffer.from(deriveDevCommandKey("secret", "ledger")).toString("hex"),
  );
  const dev = resolveCommandKey({
    service: "voting",
    configured: undefined,
    nodeEnv: "test",
    internalSecret: "secret",
  });
  assert.equal(Buffer.from(dev.key), Buffer.from(voting));
  for (const nodeEnv of ["production", "staging", undefined]) {
    assert.ok(isProductionEnv(nodeEnv), String(nodeEnv));
    assert.throws(() => resolveCommandKey({ service: "voting", configured: undefined, nodeEnv, internalSecret: "s" }));
  }
  const configured = resolveCommandKey({
    service: "voting",
    configured: "c".repeat(32),
    nodeEnv: "production",
    internalSecret: "s",
  });
  assert.equal(Buffer.from(configured.key), Buffer.from("c".repeat(32)));
});

auth("parses the signer's key list and refuses short keys or bad names", () => {
  const parsed = parseCommandKeys(`ledger=${"a".repeat(32)}, voting=${"b".repeat(40)}`);
  assert.equal([...parsed.keys()], ["ledger", "voting"]);
  assert.equal(parsed.get("voting"), [Buffer.from("b".repeat(40))]);
  assert.throws(() => parseCommandKeys("ledger=short"), /at least 32/);
  assert.throws(() => parseCommandKeys(`=${"a".repeat(32)}`), /service=key/);
});

auth("a producing service's config requires CLEARBOOK_COMMAND_KEY in production", () => {
  const schema = serviceEnv({ ...commandKeyEnv }).superRefine((env, ctx) => requireCommandKeyInProduction(env, ctx));
  const secret = "s".repeat(32);
  try {
    parseEnv(schema, { NODE_ENV: "production", CLEARBOOK_INTERNAL_SECRET: secret });
    assert.unreachable("a production config without a command key");
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.match((error as Error).message, /CLEARBOOK_COMMAND_KEY: is required in production/);
  }
  const ok = parseEnv(schema, {
    NODE_ENV: "production",
    CLEARBOOK_INTERNAL_SECRET: secret,
    CLEARBOOK_COMMAND_KEY: "k".repeat(32),
  });
  assert.is(ok.CLEARBOOK_COMMAND_KEY, "k".repeat(32));
  assert.is(parseEnv(schema, { NODE_ENV: "development" }).CLEARBOOK_COMMAND_KEY, undefined);
});

auth.run();
