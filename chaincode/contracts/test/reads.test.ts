import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, type TransactionName } from "../src/api.js";
import { ids, orgWithMembers, refused } from "./support/fixtures.js";

const reads = suite("evaluate-only reads");

reads("refuse unknown ids with NOT_FOUND and malformed ids with BAD_USER_INPUT, writing nothing", async () => {
  const { chain } = await orgWithMembers(0);
  const reader = await ids.raw("reader-without-attributes", null);
  const unknown: Array<[TransactionName, string[]]> = [
    ["org:GetOrganization", ["org-x"]],
    ["org:GetMembers", ["org-x"]],
    ["org:GetMembershipRequest", ["req-x"]],
    ["ledger:GetEntry", ["e-x"]],
    ["ledger:ListEntries", ["org-x"]],
    ["voting:GetBallot", ["b-x"]],
    ["voting:GetVote", ["b-x", "u"]],
    ["voting:GetVotes", ["b-x"]],
    ["token:GetAccount", ["w-x"]],
    ["token:GetTreasury", ["org-x"]],
    ["token:GetEscrow", ["o-x"]],
    ["token:GetMint", ["m-x"]],
    ["token:GetBurn", ["b-x"]],
  ];
  for (const [name, args] of unknown) {
    // The tuple types differ per name; the table is checked against TRANSACTIONS by the metadata test.
    const evaluate = chain.evaluate as (
      who: typeof reader,
      name: TransactionName,
      ...args: string[]
    ) => Promise<unknown>;
    await refused(evaluate.call(chain, reader, name, ...args), ChainErrorCode.NOT_FOUND);
    await refused(evaluate.call(chain, reader, name, ...args.map(() => "bad id")), ChainErrorCode.BAD_USER_INPUT);
  }
});

reads("need no identity attributes: the ledger is public to the channel", async () => {
  const { chain } = await orgWithMembers(1);
  const reader = await ids.raw("reader-without-attributes", null);
  assert.is((await chain.evaluate(reader, "org:GetMembers", "org-1")).length, 2);
  assert.equal(await chain.evaluate(reader, "token:GetSupply"), {
    minted: "0",
    burned: "0",
    outstanding: "0",
    escrowed: "0",
  });
});

reads.run();

const more = suite("remaining refusals");

more("settings, deposits and proposals on an unknown organization are NOT_FOUND", async () => {
  const { chain, founder } = await orgWithMembers(0);
  await refused(chain.submit(founder, "org:UpdateSettings", "org-x", "600", "0", "0"), ChainErrorCode.NOT_FOUND);
  await refused(
    chain.submit(founder, "ledger:SubmitDeposit", "d", "org-x", "E", "2026", "1", "1", "[]"),
    ChainErrorCode.NOT_FOUND,
  );
  await refused(
    chain.submit(founder, "ledger:ProposeSpending", "s", "b", "org-x", "E", "2026", "1", "1", "p", "[]"),
    ChainErrorCode.NOT_FOUND,
  );
});

more("a rejection needs a reason", async () => {
  const { chain, founder, members } = await orgWithMembers(1);
  await chain.submit(members[0]!, "ledger:SubmitDeposit", "d", "org-1", "E", "2026", "1", "1", "[]");
  await refused(chain.submit(founder, "ledger:RejectDeposit", "d", "  "), ChainErrorCode.BAD_USER_INPUT);
});

more("votes and finalizations need an authenticated identity", async () => {
  const { chain, founder } = await orgWithMembers(0);
  await chain.submit(founder, "ledger:ProposeSpending", "s", "b", "org-1", "E", "2026", "1", "1", "p", "[]");
  const anonymous = await ids.raw("anonymous", null);
  await refused(chain.submit(anonymous, "voting:CastVote", "b", "APPROVE"), ChainErrorCode.UNAUTHENTICATED);
  await refused(chain.submit(anonymous, "voting:FinalizeBallot", "b"), ChainErrorCode.UNAUTHENTICATED);
  await refused(chain.submit(anonymous, "token:OpenAccount", "w"), ChainErrorCode.UNAUTHENTICATED);
});

more("money cannot leave a treasury except by a spending payout, nor be escrowed toward one", async () => {
  const { chain, founder } = await orgWithMembers(0);
  await chain.submit(founder, "token:OpenAccount", "w-f");
  await refused(chain.submit(founder, "token:LockEscrow", "o", "w-f", "org:org-1", "1"), ChainErrorCode.BAD_USER_INPUT);
  await refused(
    chain.submit(founder, "token:BurnForWithdrawal", "wd", "org:org-1", "1", "bank:x"),
    ChainErrorCode.BAD_USER_INPUT,
  );
  await refused(chain.submit(founder, "token:Transfer", "t", "w-nobody", "w-f", "1"), ChainErrorCode.NOT_FOUND);
});

more.run();
