import { createServer } from "node:http";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ensureSameChain, resetIfAsked } from "../chain-check.mjs";

/** A stand-in `/ready` answering `status` with `checks`. */
async function readyServer(status, checks) {
  const server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ ready: status === 200, checks }));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

const Check = suite("ops/chain-check.mjs (what npm start runs)");

Check("stops the start with the service's own message when it follows another chain", async () => {
  const message =
    'ledger-indexer indexed channel "clearbook" (block 0 aaaa), but the peer serves … Fix: run `npm run reindex -- ledger`';
  const ledger = await readyServer(503, { mysql: "ok", chain: message });
  try {
    const error = await ensureSameChain(() => {}, { LEDGER_PORT: String(ledger.port), VOTING_PORT: "1" }, 5_000).then(
      () => null,
      (e) => e,
    );
    assert.ok(error, "it refuses");
    assert.match(error.message, /^ledger refuses this chain: ledger-indexer indexed channel/);
    assert.match(error.message, /npm run reindex -- ledger/);
  } finally {
    await ledger.close();
  }
});

Check("carries on when every service is ready", async () => {
  const ledger = await readyServer(200, { mysql: "ok", chain: "ok" });
  const voting = await readyServer(200, { mysql: "ok", chain: "ok" });
  const lines = [];
  try {
    await ensureSameChain((line) => lines.push(line), {
      LEDGER_PORT: String(ledger.port),
      VOTING_PORT: String(voting.port),
    });
    assert.equal(lines, ["every read model follows this chain"]);
  } finally {
    await ledger.close();
    await voting.close();
  }
});

Check("resets only when --reset is given", async () => {
  assert.is(await resetIfAsked([], () => {}), false);
});

Check.run();
