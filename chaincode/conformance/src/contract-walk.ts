import { type ChainClient, createTypedChain, decodeResult } from "@clearbook/client";
import * as assert from "uvu/assert";
import { issueUser, type Target } from "./target.js";

/**
 * Calls every transaction function of the contracts through the project's client, as the identities
 * the contracts expect (README: who may call each), along one treasury's life: an organization, a
 * member, a deposit approved and one rejected, a spending ballot decided early and paid out, a wallet
 * top-up, a transfer, escrows released and refunded, a withdrawal burn.
 * @returns the names of the functions called.
 */
export async function walkEveryContractFunction(target: Target, chain: ChainClient, run: string): Promise<Set<string>> {
  const typed = createTypedChain(chain);
  const called = new Set<string>();
  const founder = await issueUser(target, `founder-${run}`);
  const bob = await issueUser(target, `bob-${run}`);
  const id = (name: string) => `${name}-${run}`;
  const org = id("org");
  type Submit = typeof typed.submit;
  const submit: Submit = async (signer, name, ...args) => {
    called.add(name);
    return typed.submit(signer, name, ...args);
  };
  const evaluate: typeof typed.evaluate = async (name, ...args) => {
    called.add(name);
    return typed.evaluate(name, ...args);
  };

  const metadata = decodeResult(await chain.evaluate("org.hyperledger.fabric:GetMetadata", [])) as {
    contracts: Record<string, unknown>;
  };
  called.add("org.hyperledger.fabric:GetMetadata");
  for (const contract of ["org", "ledger", "voting", "token"]) assert.ok(contract in metadata.contracts, contract);

  await submit(target.admin, "org:CreateOrganization", org, "Student council", founder.userId);
  await submit(bob.signer, "org:RequestMembership", id("req"), org);
  await submit(founder.signer, "org:ApproveMembership", id("req"));
  await submit(founder.signer, "org:GrantCouncil", org, bob.userId);
  await submit(founder.signer, "org:UpdateSettings", org, "3600", "5000", "5000");
  assert.is((await evaluate("org:GetOrganization", org)).orgId, org);
  assert.ok((await evaluate("org:ListOrganizations")).some((o) => o.orgId === org));
  assert.is((await evaluate("org:GetMember", org, bob.userId))?.userId, bob.userId);
  assert.is((await evaluate("org:GetMembers", org)).length, 2);
  assert.is((await evaluate("org:GetMembershipRequest", id("req"))).requestId, id("req"));

  await submit(founder.signer, "ledger:SubmitDeposit", id("dep1"), org, "Festival", "2026", "1", "1000", "[]");
  await submit(bob.signer, "ledger:ApproveDeposit", id("dep1"));
  await submit(bob.signer, "ledger:SubmitDeposit", id("dep2"), org, "Bake sale", "2026", "1", "70", "[]");
  await submit(founder.signer, "ledger:RejectDeposit", id("dep2"), "no receipt");
  await submit(founder.signer, "token:OpenAccount", id("wallet-founder"));
  await submit(bob.signer, "token:OpenAccount", id("wallet-bob"));
  await submit(
    founder.signer,
    "ledger:ProposeSpending",
    id("spend"),
    id("ballot"),
    org,
    "Snacks",
    "2026",
    "1",
    "300",
    id("wallet-founder"),
    "[]",
  );
  assert.is((await evaluate("ledger:GetEntry", id("dep1"))).status, "APPROVED");
  assert.is((await evaluate("ledger:ListEntries", org)).length, 3);

  await submit(founder.signer, "voting:CastVote", id("ballot"), "APPROVE");
  await submit(bob.signer, "voting:CastVote", id("ballot"), "APPROVE");
  assert.is((await evaluate("voting:GetBallot", id("ballot"))).tally.approve, 2);
  assert.is((await evaluate("voting:GetVote", id("ballot"), bob.userId))?.choice, "APPROVE");
  assert.is((await evaluate("voting:GetVotes", id("ballot"))).length, 2);
  // Both eligible members approved: no later vote can change the outcome, so it may close early.
  await submit(bob.signer, "voting:FinalizeBallot", id("ballot"));
  await submit(founder.signer, "token:PayoutSpending", id("spend"));

  await submit(target.admin, "token:Mint", id("topup"), id("wallet-bob"), "500");
  await submit(bob.signer, "token:Transfer", id("transfer"), id("wallet-bob"), id("wallet-founder"), "100");
  await submit(bob.signer, "token:LockEscrow", id("order1"), id("wallet-bob"), id("wallet-founder"), "50");
  await submit(bob.signer, "token:ReleaseEscrow", id("order1"));
  await submit(bob.signer, "token:LockEscrow", id("order2"), id("wallet-bob"), id("wallet-founder"), "50");
  await submit(founder.signer, "token:RefundEscrow", id("order2"));
  await submit(
    bob.signer,
    "token:BurnForWithdrawal",
    id("withdrawal"),
    id("wallet-bob"),
    "10",
    "0x00000000000000000000000000000000000000aa",
  );
  await submit(founder.signer, "org:RevokeCouncil", org, bob.userId);

  assert.is((await evaluate("token:GetAccount", id("wallet-bob"))).balance, "340");
  assert.is((await evaluate("token:GetAccount", id("wallet-founder"))).balance, "450");
  assert.is((await evaluate("token:GetTreasury", org)).balance, "700");
  assert.is((await evaluate("token:GetEscrow", id("order2"))).status, "REFUNDED");
  assert.is((await evaluate("token:GetMint", id("topup"))).amount, "500");
  assert.is((await evaluate("token:GetBurn", id("withdrawal"))).amount, "10");
  assert.ok(BigInt((await evaluate("token:GetSupply")).minted) >= 1500n);
  return called;
}
