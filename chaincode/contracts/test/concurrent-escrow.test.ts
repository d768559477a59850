import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ids } from "./support/fixtures.js";
import { TestChain } from "./support/test-chain.js";
import { ValidationCode } from "./support/world-state.js";

const BUYERS = 100;

const drop = suite("a first-come-first-served drop: concurrent escrow locks toward one seller");

drop(
  `${BUYERS} locks endorsed on one snapshot all commit in one block, with the seller paid in the same block`,
  async () => {
    const chain = new TestChain();
    const admin = await ids.admin();
    const seller = await ids.user("seller");
    await chain.submit(seller, "token:OpenAccount", "w-seller");
    const buyers = await Promise.all(Array.from({ length: BUYERS }, (_, i) => ids.user(`buyer-${i}`)));
    for (const [i, buyer] of buyers.entries()) {
      await chain.submit(buyer, "token:OpenAccount", `w-buyer-${i}`);
      await chain.submit(admin, "token:Mint", `topup-${i}`, `w-buyer-${i}`, "500");
    }
    await chain.submit(buyers[0]!, "token:LockEscrow", "order-earlier", "w-buyer-0", "w-seller", "100");

    // The seller's balance changes in the same block (an earlier order is released first).
    const release = await chain.endorse(buyers[0]!, "token:ReleaseEscrow", ["order-earlier"]);
    const locks = await Promise.all(
      buyers.map((b, i) => chain.endorse(b, "token:LockEscrow", [`order-${i}`, `w-buyer-${i}`, "w-seller", "250"])),
    );
    for (const lock of locks) assert.is(lock.response.status, 200, lock.response.message);
    const codes = chain.world.commitBlock([release.stub.rwset, ...locks.map((l) => l.stub.rwset)]);
    assert.equal(
      codes.filter((c) => c !== ValidationCode.VALID),
      [],
    );
    const supply = await chain.evaluate(admin, "token:GetSupply");
    assert.equal(supply, {
      minted: String(500 * BUYERS),
      burned: "0",
      outstanding: String(500 * BUYERS),
      escrowed: String(250 * BUYERS),
    });
    assert.is((await chain.evaluate(admin, "token:GetAccount", "w-seller")).balance, "100");
  },
);

drop.run();
