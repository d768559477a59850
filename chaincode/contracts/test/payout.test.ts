import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, EventName } from "../src/api.js";
import { ids, type OrgFixture, orgWithMembers, refused } from "./support/fixtures.js";
import { TestChain } from "./support/test-chain.js";

/** Treasury holds 1000 from an approved deposit; spending "sp-1" of `amount` to `payee` is decided by `choice`. */
async function decidedSpending(amount: string, payee: string, choice: "APPROVE" | "REJECT"): Promise<OrgFixture> {
  const fixture = await orgWithMembers(2);
  const { chain, founder, members } = fixture;
  await chain.submit(members[0]!, "ledger:SubmitDeposit", "dep-1", "org-1", "Dues", "2026", "1", "1000", "[]");
  await chain.submit(founder, "ledger:ApproveDeposit", "dep-1");
  await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "Gala",
    "2026",
    "1",
    amount,
    payee,
    "[]",
  );
  for (const voter of [founder, ...members]) await chain.submit(voter, "voting:CastVote", "b-1", choice);
  await chain.submit(founder, "voting:FinalizeBallot", "b-1");
  return fixture;
}

const payout = suite("token:PayoutSpending");

payout("pays approved spending from the treasury to an on-chain payee once, and the entry becomes PAID", async () => {
  const { chain, founder } = await decidedSpending("300", "w-vendor", "APPROVE");
  const vendor = await ids.user("vendor");
  await chain.submit(vendor, "token:OpenAccount", "w-vendor");
  const endorsement = await chain.endorse(founder, "token:PayoutSpending", ["sp-1"]);
  assert.is(TestChain.event(endorsement)?.name, EventName.TokenSpendingPaid);
  const paid = await chain.submit(founder, "token:PayoutSpending", "sp-1");
  assert.equal(
    [paid.treasury.balance, paid.payee?.balance, paid.burn, paid.entry.status],
    ["700", "300", null, "PAID"],
  );
  await refused(chain.submit(founder, "token:PayoutSpending", "sp-1"), ChainErrorCode.ALREADY_USED);
  assert.equal(await chain.evaluate(founder, "token:GetSupply"), {
    minted: "1000",
    burned: "0",
    outstanding: "1000",
    escrowed: "0",
  });
});

payout("burns the amount when the payee is off-chain, under the id spending:<entryId>", async () => {
  const { chain } = await decidedSpending("250", "iban:DE89370400440532013000", "APPROVE");
  const paid = await chain.submit(await ids.service("withdrawal-pipeline"), "token:PayoutSpending", "sp-1");
  assert.equal(
    [paid.treasury.balance, paid.payee, paid.burn?.burnId, paid.burn?.kind],
    ["750", null, "spending:sp-1", "SPENDING_PAYOUT"],
  );
  const reader = await ids.user("reader");
  assert.equal(await chain.evaluate(reader, "token:GetSupply"), {
    minted: "1000",
    burned: "250",
    outstanding: "750",
    escrowed: "0",
  });
});

payout("refuses rejected or undecided spending, deposits, plain members and an empty treasury", async () => {
  const rejected = await decidedSpending("300", "w-vendor", "REJECT");
  await refused(rejected.chain.submit(rejected.founder, "token:PayoutSpending", "sp-1"), ChainErrorCode.CONFLICT);
  await refused(
    rejected.chain.submit(rejected.founder, "token:PayoutSpending", "dep-1"),
    ChainErrorCode.BAD_USER_INPUT,
  );
  await refused(rejected.chain.submit(rejected.founder, "token:PayoutSpending", "sp-9"), ChainErrorCode.NOT_FOUND);

  const tooBig = await decidedSpending("1001", "w-vendor", "APPROVE");
  await refused(tooBig.chain.submit(tooBig.members[0]!, "token:PayoutSpending", "sp-1"), ChainErrorCode.FORBIDDEN);
  await refused(tooBig.chain.submit(tooBig.founder, "token:PayoutSpending", "sp-1"), ChainErrorCode.INSUFFICIENT_FUNDS);
  assert.is((await tooBig.chain.evaluate(tooBig.founder, "ledger:GetEntry", "sp-1")).status, "APPROVED");

  const voting = await orgWithMembers(0);
  await voting.chain.submit(
    voting.founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "E",
    "2026",
    "1",
    "1",
    "p",
    "[]",
  );
  await refused(voting.chain.submit(voting.founder, "token:PayoutSpending", "sp-1"), ChainErrorCode.CONFLICT);
});

payout.run();
