import { createChainClient, identityOf, parseConnectionProfile, privateKeySigner } from "@clearbook/client";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createOutcomeChainGuard } from "../src/index.js";
import { startDevpeer } from "./chain.helpers.js";
import { createTestOrm } from "./helpers.js";

const test = suite("the outcome tracker knows which chain it tracks (issue 24)");

test("refuses a chain shorter than its recorded outcomes, then adopts it after a signer reindex", async () => {
  const devpeer = await startDevpeer();
  const orm = await createTestOrm("outcome_chain");
  const chain = createChainClient({
    profile: parseConnectionProfile(devpeer.connectionProfile),
    reader: {
      identity: identityOf("ClearbookMSP", devpeer.credentials.admin.certificatePem),
      sign: privateKeySigner(devpeer.credentials.admin.privateKeyPem),
    },
  });
  try {
    // Outcomes recorded up to block 60 of a chain that was since wiped: the peer has 1 block now.
    await orm.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into signed_tx (command_id, user_id, tx_id, original_tx_id, transaction, status, block, attempts, updated_at)
         values ('c1', 'u1', ?, ?, 'token:OpenAccount', 'COMMITTED', 60, 1, utc_timestamp())`,
        ["a".repeat(64), "a".repeat(64)],
      );
    const guard = createOutcomeChainGuard({ orm, chain });
    const error = await guard.check().then(
      () => null,
      (e: unknown) => e as Error,
    );
    assert.ok(error);
    assert.match(error?.message ?? "", /signer-outcomes indexed a chain it kept no record of \(up to block 60\)/);
    assert.match(error?.message ?? "", /shorter than the checkpoint \(block 60\)/);
    assert.match(error?.message ?? "", /npm run reindex -- signer/);
    // What `npm run reindex -- signer` does: the old chain's rows and record go.
    await orm.orm.em.fork().getConnection().execute("delete from signed_tx");
    await guard.forget();
    await guard.check();
    assert.is(guard.problem(), null);
  } finally {
    chain.dispose();
    await orm.drop();
    await devpeer.cleanup();
  }
});

test.run();
