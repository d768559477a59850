import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";

// The production ACL example (decision 0361), loaded by a private Redis: each service's user may do
// what the code needs and nothing of another's; above all the gateway cannot write `cmd:*`.
const aclFile = fileURLToPath(new URL("../redis/users.acl.example", import.meta.url));
const server = ["redis-server", "valkey-server"]
  .flatMap((name) => [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"].map((d) => join(d, name)))
  .find((candidate) => existsSync(candidate));

const Acl = suite("ops/redis/users.acl.example");
const context = { dir: "", child: null, port: 0, clients: [] };

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A connection as `user` (its example password). */
async function as(user) {
  const client = new Redis({
    port: context.port,
    host: "127.0.0.1",
    username: user,
    password: `CHANGE-ME-${user}`,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  client.on("error", () => {});
  context.clients.push(client);
  await client.connect();
  return client;
}

/** `NOPERM` when the user may not run `command` on its keys, else "ok". */
async function attempt(client, command, ...args) {
  try {
    await client.call(command, ...args);
    return "ok";
  } catch (error) {
    return /NOPERM/.test(String(error)) ? "NOPERM" : String(error);
  }
}

Acl.before(async () => {
  if (!server) return;
  context.dir = mkdtempSync(join(tmpdir(), "clearbook-acl-"));
  context.port = await freePort();
  context.child = spawn(
    server,
    ["--port", String(context.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--aclfile", aclFile],
    { cwd: context.dir, stdio: "ignore" },
  );
  // Redis refuses to start on a bad ACL file: then this wait fails.
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await (await as("ops")).ping();
      return;
    } catch (error) {
      if (Date.now() > deadline || context.child.exitCode !== null)
        throw new Error(`Redis did not start with the ACL file: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});

Acl.after(() => {
  for (const client of context.clients) client.disconnect();
  context.child?.kill("SIGKILL");
  if (context.dir) rmSync(context.dir, { recursive: true, force: true });
});

Acl("loads, and gives each service only its own streams (the gateway none of cmd:*)", async () => {
  if (!server) {
    console.warn("no redis-server here: the ACL example was not checked");
    return;
  }
  const gateway = await as("gateway");
  const ledger = await as("ledger");
  const voting = await as("voting");
  const signer = await as("signer");
  const cases = [
    ["gateway", gateway, ["XADD", "cmd:ledger", "*", "id", "x"], "NOPERM"],
    ["gateway", gateway, ["XADD", "cmd:signer", "*", "id", "x"], "NOPERM"],
    ["gateway", gateway, ["XADD", "evt:ledger", "*", "id", "x"], "NOPERM"],
    ["gateway", gateway, ["XREAD", "COUNT", "1", "STREAMS", "evt:ledger", "0"], "ok"],
    ["gateway", gateway, ["SET", "gw:apq:x", "1"], "ok"],
    ["gateway", gateway, ["EVAL", "return redis.call('xadd', KEYS[1], '*', 'a', 'b')", "1", "cmd:ledger"], "NOPERM"],
    ["gateway", gateway, ["MGET", "session:revoked:user:u1"], "ok"],
    ["gateway", gateway, ["SET", "session:revoked:user:u1", "1"], "NOPERM"],
    ["ledger", ledger, ["XADD", "cmd:ledger", "*", "id", "x"], "ok"],
    ["ledger", ledger, ["XADD", "cmd:signer", "*", "id", "x"], "ok"],
    ["ledger", ledger, ["XADD", "cmd:voting", "*", "id", "x"], "NOPERM"],
    ["ledger", ledger, ["XADD", "evt:chain", "*", "id", "x"], "NOPERM"],
    ["ledger", ledger, ["XGROUP", "CREATE", "evt:chain", "ledger", "0", "MKSTREAM"], "ok"],
    ["ledger", ledger, ["FLUSHALL"], "NOPERM"],
    ["ledger", ledger, ["EVAL", "return redis.call('incr', KEYS[1])", "1", "ledger:login:a"], "ok"],
    ["ledger", ledger, ["PUBLISH", "session:revoked", "{}"], "ok"],
    ["voting", voting, ["XADD", "cmd:voting", "*", "id", "x"], "ok"],
    ["voting", voting, ["XADD", "cmd:ledger", "*", "id", "x"], "NOPERM"],
    ["signer", signer, ["XADD", "evt:chain", "*", "id", "x"], "ok"],
    ["signer", signer, ["XADD", "cmd:ledger", "*", "id", "x"], "NOPERM"],
    ["signer", signer, ["XGROUP", "CREATE", "cmd:ledger", "signer", "0", "MKSTREAM"], "ok"],
  ];
  for (const [user, client, [command, ...args], expected] of cases) {
    assert.is(await attempt(client, command, ...args), expected, `${user}: ${command} ${args.join(" ")}`);
  }
  const anonymous = new Redis({ port: context.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  anonymous.on("error", () => {});
  context.clients.push(anonymous);
  await anonymous.connect().catch(() => {});
  assert.is.not(await attempt(anonymous, "GET", "x"), "ok", "the default user is off");
});

Acl.run();
