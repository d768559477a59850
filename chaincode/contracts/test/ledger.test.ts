import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, EventName } from "../src/api.js";
import { ids, orgWithMembers, refused, SHA_A, SHA_B } from "./support/fixtures.js";
import { TestChain } from "./support/test-chain.js";

const evidence = JSON.stringify([SHA_A, SHA_B]);

const deposits = suite("ledger deposits");

deposits("a member submits a deposit as PENDING with its evidence hashes", async () => {
  const { chain, members } = await orgWithMembers(1);
  const entry = await chain.submit(
    members[0]!,
    "ledger:SubmitDeposit",
    "dep-1",
    "org-1",
    "Bake sale",
    "2026",
    "1",
    "12500",
    evidence,
  );
  assert.equal(
    { kind: entry.kind, status: entry.status, amount: entry.amount, evidence: entry.evidence, by: entry.submittedBy },
    { kind: "DEPOSIT", status: "PENDING", amount: "12500", evidence: [SHA_A, SHA_B], by: "member-0" },
  );
  assert.equal(await chain.evaluate(members[0]!, "ledger:GetEntry", "dep-1"), entry);
  assert.equal(await chain.evaluate(members[0]!, "ledger:ListEntries", "org-1"), [entry]);
});

deposits("a council member other than the submitter approves it and the treasury grows", async () => {
  const { chain, founder, members } = await orgWithMembers(1);
  await chain.submit(
    members[0]!,
    "ledger:SubmitDeposit",
    "dep-1",
    "org-1",
    "Bake sale",
    "2026",
    "1",
    "12500",
    evidence,
  );
  const endorsement = await chain.endorse(founder, "ledger:ApproveDeposit", ["dep-1"]);
  assert.is(TestChain.event(endorsement)?.name, EventName.LedgerDepositApproved);
  const decision = await chain.submit(founder, "ledger:ApproveDeposit", "dep-1");
  assert.is(decision.entry.status, "APPROVED");
  assert.is(decision.entry.decidedBy, "founder");
  assert.is(decision.treasury?.balance, "12500");
  assert.equal(decision.mint, {
    mintId: "deposit:dep-1",
    kind: "DEPOSIT",
    address: "org:org-1",
    amount: "12500",
    approvedBy: "founder",
    at: decision.entry.decidedAt,
  });
  assert.is((await chain.evaluate(founder, "token:GetTreasury", "org-1")).balance, "12500");
  await refused(chain.submit(founder, "ledger:ApproveDeposit", "dep-1"), ChainErrorCode.CONFLICT);
  await refused(chain.submit(founder, "ledger:RejectDeposit", "dep-1", "late"), ChainErrorCode.CONFLICT);
});

deposits("a council member rejects it with a reason and the treasury is unchanged", async () => {
  const { chain, founder, members } = await orgWithMembers(1);
  await chain.submit(members[0]!, "ledger:SubmitDeposit", "dep-1", "org-1", "Bake sale", "2026", "1", "100", "[]");
  const decision = await chain.submit(founder, "ledger:RejectDeposit", "dep-1", "No receipt");
  assert.equal(
    [decision.entry.status, decision.entry.reason, decision.treasury, decision.mint],
    ["REJECTED", "No receipt", null, null],
  );
  assert.is((await chain.evaluate(founder, "token:GetTreasury", "org-1")).balance, "0");
});

deposits("refuses a decision by the submitter, by a plain member, or on a spending entry", async () => {
  const { chain, founder, members } = await orgWithMembers(2);
  await chain.submit(founder, "ledger:SubmitDeposit", "dep-f", "org-1", "Dues", "2026", "2", "100", "[]");
  await refused(chain.submit(founder, "ledger:ApproveDeposit", "dep-f"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(founder, "ledger:RejectDeposit", "dep-f", "mine"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(members[1]!, "ledger:ApproveDeposit", "dep-f"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(founder, "ledger:ApproveDeposit", "dep-nope"), ChainErrorCode.NOT_FOUND);
  await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "Pizza",
    "2026",
    "2",
    "50",
    "payee",
    "[]",
  );
  await refused(chain.submit(founder, "ledger:ApproveDeposit", "sp-1"), ChainErrorCode.BAD_USER_INPUT);
});

deposits("refuses deposits from non-members, reused entry ids and malformed fields", async () => {
  const { chain, members } = await orgWithMembers(1);
  const m = members[0]!;
  await refused(
    chain.submit(await ids.user("stranger"), "ledger:SubmitDeposit", "d", "org-1", "E", "2026", "1", "1", "[]"),
    ChainErrorCode.FORBIDDEN,
  );
  await refused(
    chain.submit(m, "ledger:SubmitDeposit", "d", "org-x", "E", "2026", "1", "1", "[]"),
    ChainErrorCode.NOT_FOUND,
  );
  await chain.submit(m, "ledger:SubmitDeposit", "d", "org-1", "E", "2026", "1", "1", "[]");
  await refused(
    chain.submit(m, "ledger:SubmitDeposit", "d", "org-1", "E", "2026", "1", "1", "[]"),
    ChainErrorCode.ALREADY_USED,
  );
  const bad: Array<[string, string, string, string, string]> = [
    ["", "2026", "1", "1", "[]"],
    ["E", "1999", "1", "1", "[]"],
    ["E", "2026", "5", "1", "[]"],
    ["E", "2026", "1", "0", "[]"],
    ["E", "2026", "1", "-5", "[]"],
    ["E", "2026", "1", "1.5", "[]"],
    ["E", "2026", "1", "007", "[]"],
    ["E", "2026", "1", "1".repeat(39), "[]"],
    ["E", "2026", "1", "1", "not json"],
    ["E", "2026", "1", "1", '{"a":1}'],
    ["E", "2026", "1", "1", '["ABC"]'],
    ["E", "2026", "1", "1", JSON.stringify([SHA_A, SHA_A])],
    ["E", "2026", "1", "1", JSON.stringify(Array.from({ length: 33 }, (_, i) => i.toString(16).padStart(64, "0")))],
  ];
  for (const [name, year, semester, amount, ev] of bad) {
    await refused(
      chain.submit(m, "ledger:SubmitDeposit", "d2", "org-1", name, year, semester, amount, ev),
      ChainErrorCode.BAD_USER_INPUT,
    );
  }
});

deposits.run();

const spending = suite("ledger spending proposals");

spending("the council proposes spending, which opens a ballot over the current members", async () => {
  const { chain, founder } = await orgWithMembers(3);
  const proposal = await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp-1",
    "ballot-1",
    "org-1",
    "Spring party",
    "2026",
    "1",
    "9000",
    "vendor-wallet",
    JSON.stringify([SHA_A]),
  );
  assert.equal(
    [proposal.entry.kind, proposal.entry.status, proposal.entry.payeeAddress, proposal.entry.ballotId],
    ["SPENDING", "VOTING", "vendor-wallet", "ballot-1"],
  );
  assert.equal(
    [proposal.ballot.status, proposal.ballot.eligibleCount, proposal.ballot.quorumBps, proposal.ballot.thresholdBps],
    ["OPEN", 4, 5000, 5000],
  );
  assert.is(Date.parse(proposal.ballot.closesAt) - Date.parse(proposal.ballot.opensAt), 3600_000);
});

spending("uses the organization's ballot settings at opening", async () => {
  const { chain, founder } = await orgWithMembers(0);
  await chain.submit(founder, "org:UpdateSettings", "org-1", "120", "1000", "6000");
  const { ballot } = await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp",
    "b",
    "org-1",
    "E",
    "2026",
    "1",
    "5",
    "p",
    "[]",
  );
  assert.equal(
    [Date.parse(ballot.closesAt) - Date.parse(ballot.opensAt), ballot.quorumBps, ballot.thresholdBps],
    [120_000, 1000, 6000],
  );
});

spending("refuses proposals by plain members, reused entry or ballot ids, and the treasury as payee", async () => {
  const { chain, founder, members } = await orgWithMembers(1);
  const propose = (who = founder, entryId = "sp", ballotId = "b", payee = "p") =>
    chain.submit(who, "ledger:ProposeSpending", entryId, ballotId, "org-1", "E", "2026", "1", "5", payee, "[]");
  await refused(propose(members[0]), ChainErrorCode.FORBIDDEN);
  await refused(propose(founder, "sp", "b", "org:org-1"), ChainErrorCode.BAD_USER_INPUT);
  await refused(propose(founder, "sp", "b", "bad payee"), ChainErrorCode.BAD_USER_INPUT);
  await propose();
  await refused(propose(founder, "sp", "b2"), ChainErrorCode.ALREADY_USED);
  await refused(propose(founder, "sp2", "b"), ChainErrorCode.ALREADY_USED);
});

spending.run();
