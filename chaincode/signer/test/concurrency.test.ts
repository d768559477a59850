import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadSignerEnv, signerConcurrency } from "../src/index.js";

const sizing = suite("signer concurrency sizing");

sizing("keeps enough commands in flight to cover a 250 ms batch timeout at the target rate", () => {
  // 64 in flight capped real Fabric at 158 tx/s with 250 ms batches (issue 17); Little's law wants ~220.
  assert.is(signerConcurrency({ gatewayLimit: 500, batchTimeoutMs: 250, replicas: 1 }), 220);
});

sizing("never goes below 64 for short batch timeouts", () => {
  assert.is(signerConcurrency({ gatewayLimit: 500, batchTimeoutMs: 10, replicas: 1 }), 124);
  assert.is(signerConcurrency({ gatewayLimit: 500, batchTimeoutMs: 1, replicas: 1 }), 121);
  assert.is(signerConcurrency({ gatewayLimit: 2000, batchTimeoutMs: 0, replicas: 1 }), 120);
});

sizing("stays inside each replica's share of the peer's gateway limit", () => {
  assert.is(signerConcurrency({ gatewayLimit: 500, batchTimeoutMs: 2000, replicas: 1 }), 400);
  assert.is(signerConcurrency({ gatewayLimit: 500, batchTimeoutMs: 250, replicas: 4 }), 100);
  assert.is(signerConcurrency({ gatewayLimit: 40, batchTimeoutMs: 250, replicas: 1 }), 32);
});

sizing("sizes itself from the environment unless SIGNER_CONCURRENCY is given", () => {
  const base = { NODE_ENV: "test" };
  assert.is(loadSignerEnv({ ...base }).concurrency, 220);
  assert.is(loadSignerEnv({ ...base, FABRIC_BATCH_TIMEOUT_MS: "10" }).concurrency, 124);
  assert.is(loadSignerEnv({ ...base, SIGNER_REPLICAS: "2", FABRIC_GATEWAY_CONCURRENCY_LIMIT: "200" }).concurrency, 80);
  assert.is(loadSignerEnv({ ...base, SIGNER_CONCURRENCY: "32" }).concurrency, 32);
});

sizing.run();
