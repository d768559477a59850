import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, EventName } from "../src/api.js";
import { ids, orgWithMembers, refused } from "./support/fixtures.js";
import type { TestIdentity } from "./support/identities.js";
import { TestChain } from "./support/test-chain.js";

interface Wallets {
  chain: TestChain;
  admin: TestIdentity;
  alice: TestIdentity;
  bob: TestIdentity;
}

/** Alice owns wallet "w-alice" holding 1000, Bob owns the empty "w-bob". */
async function wallets(): Promise<Wallets> {
  const chain = new TestChain();
  const admin = await ids.admin();
  const alice = await ids.user("alice");
  const bob = await ids.user("bob");
  await chain.submit(alice, "token:OpenAccount", "w-alice");
  await chain.submit(bob, "token:OpenAccount", "w-bob");
  await chain.submit(admin, "token:Mint", "topup-1", "w-alice", "1000");
  return { chain, admin, alice, bob };
}

async function balances(chain: TestChain, ...addresses: string[]): Promise<string[]> {
  const reader = await ids.user("reader");
  return Promise.all(addresses.map(async (a) => (await chain.evaluate(reader, "token:GetAccount", a)).balance));
}

const accounts = suite("token accounts and mints");

accounts("a user opens a wallet they own, and an admin mints an approved top-up into it once", async () => {
  const chain = new TestChain();
  const alice = await ids.user("alice");
  const opened = await chain.endorse(alice, "token:OpenAccount", ["w-alice"]);
  assert.equal(TestChain.event(opened)?.name, EventName.TokenAccountOpened);
  const account = await chain.submit(alice, "token:OpenAccount", "w-alice");
  assert.equal([account.kind, account.owner, account.balance], ["WALLET", "alice", "0"]);
  const admin = await ids.admin();
  const minted = await chain.submit(admin, "token:Mint", "topup-1", "w-alice", "2500");
  assert.equal(
    [minted.account.balance, minted.mint.kind, minted.mint.approvedBy],
    ["2500", "TOP_UP", "platform-admin"],
  );
  assert.equal(await chain.evaluate(alice, "token:GetMint", "topup-1"), minted.mint);
  await refused(chain.submit(admin, "token:Mint", "topup-1", "w-alice", "2500"), ChainErrorCode.ALREADY_USED);
  assert.equal(await balances(chain, "w-alice"), ["2500"]);
});

accounts("refuses reused or treasury addresses, mints by non-admins, to unknown or treasury accounts", async () => {
  const { chain, admin, alice } = await wallets();
  await refused(chain.submit(alice, "token:OpenAccount", "w-alice"), ChainErrorCode.ALREADY_USED);
  await refused(chain.submit(alice, "token:OpenAccount", "org:x"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.submit(alice, "token:Mint", "t2", "w-alice", "1"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(await ids.service(), "token:Mint", "t2", "w-alice", "1"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(admin, "token:Mint", "t2", "w-nobody", "1"), ChainErrorCode.NOT_FOUND);
  await refused(chain.submit(admin, "token:Mint", "t2", "org:x", "1"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.submit(admin, "token:Mint", "t2", "w-alice", "0"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.submit(admin, "token:Mint", "deposit:x", "w-alice", "1"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.evaluate(alice, "token:GetAccount", "w-nobody"), ChainErrorCode.NOT_FOUND);
  await refused(chain.evaluate(alice, "token:GetMint", "t2"), ChainErrorCode.NOT_FOUND);
});

accounts.run();

const transfers = suite("token:Transfer");

transfers("the owner transfers, once per transfer id", async () => {
  const { chain, alice } = await wallets();
  const transfer = await chain.submit(alice, "token:Transfer", "tr-1", "w-alice", "w-bob", "400");
  assert.equal([transfer.from.balance, transfer.to.balance, transfer.amount], ["600", "400", "400"]);
  await refused(chain.submit(alice, "token:Transfer", "tr-1", "w-alice", "w-bob", "400"), ChainErrorCode.ALREADY_USED);
  assert.equal(await balances(chain, "w-alice", "w-bob"), ["600", "400"]);
});

transfers("refuses overdrafts with INSUFFICIENT_FUNDS and leaves balances untouched", async () => {
  const { chain, alice } = await wallets();
  const message = await refused(
    chain.submit(alice, "token:Transfer", "tr-1", "w-alice", "w-bob", "1001"),
    ChainErrorCode.INSUFFICIENT_FUNDS,
  );
  assert.match(message, "holds 1000, needs 1001");
  assert.equal(await balances(chain, "w-alice", "w-bob"), ["1000", "0"]);
});

transfers("refuses transfers by a non-owner, from a treasury, to unknown accounts or to itself", async () => {
  const { chain, alice, bob } = await wallets();
  const { chain: orgChain, founder } = await orgWithMembers(0);
  await refused(chain.submit(bob, "token:Transfer", "tr", "w-alice", "w-bob", "1"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(alice, "token:Transfer", "tr", "w-alice", "w-nobody", "1"), ChainErrorCode.NOT_FOUND);
  await refused(chain.submit(alice, "token:Transfer", "tr", "w-alice", "w-alice", "1"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.submit(alice, "token:Transfer", "tr", "w-alice", "w-bob", "1e3"), ChainErrorCode.BAD_USER_INPUT);
  await refused(
    orgChain.submit(founder, "token:Transfer", "tr", "org:org-1", "w-x", "1"),
    ChainErrorCode.BAD_USER_INPUT,
  );
});

transfers.run();

const escrow = suite("token escrow");

escrow("locks the buyer's money and releases it to the seller on the buyer's confirmation, once", async () => {
  const { chain, alice, bob } = await wallets();
  const locked = await chain.submit(alice, "token:LockEscrow", "order-1", "w-alice", "w-bob", "300");
  assert.equal([locked.escrow.status, locked.account.balance], ["LOCKED", "700"]);
  await refused(chain.submit(bob, "token:ReleaseEscrow", "order-1"), ChainErrorCode.FORBIDDEN);
  const released = await chain.submit(alice, "token:ReleaseEscrow", "order-1");
  assert.equal(
    [released.escrow.status, released.account.address, released.account.balance],
    ["RELEASED", "w-bob", "300"],
  );
  await refused(chain.submit(alice, "token:ReleaseEscrow", "order-1"), ChainErrorCode.ALREADY_USED);
  await refused(chain.submit(bob, "token:RefundEscrow", "order-1"), ChainErrorCode.ALREADY_USED);
  await refused(
    chain.submit(alice, "token:LockEscrow", "order-1", "w-alice", "w-bob", "1"),
    ChainErrorCode.ALREADY_USED,
  );
  assert.equal(await balances(chain, "w-alice", "w-bob"), ["700", "300"]);
});

escrow("refunds to the buyer by the seller or a platform service, never by the buyer", async () => {
  const { chain, alice, bob } = await wallets();
  await chain.submit(alice, "token:LockEscrow", "order-1", "w-alice", "w-bob", "300");
  await chain.submit(alice, "token:LockEscrow", "order-2", "w-alice", "w-bob", "200");
  await refused(chain.submit(alice, "token:RefundEscrow", "order-1"), ChainErrorCode.FORBIDDEN);
  const refund = await chain.submit(bob, "token:RefundEscrow", "order-1");
  assert.equal([refund.escrow.status, refund.account.balance], ["REFUNDED", "800"]);
  const saga = await chain.submit(await ids.service("marketplace-saga"), "token:RefundEscrow", "order-2");
  assert.equal([saga.escrow.settledBy, saga.account.balance], ["marketplace-saga", "1000"]);
  await refused(chain.submit(alice, "token:ReleaseEscrow", "order-1"), ChainErrorCode.ALREADY_USED);
  await refused(chain.evaluate(alice, "token:GetEscrow", "order-9"), ChainErrorCode.NOT_FOUND);
});

escrow("refuses locks beyond the balance, by a non-owner, to an unknown seller or to oneself", async () => {
  const { chain, alice, bob } = await wallets();
  await refused(
    chain.submit(alice, "token:LockEscrow", "o", "w-alice", "w-bob", "1001"),
    ChainErrorCode.INSUFFICIENT_FUNDS,
  );
  await refused(chain.submit(bob, "token:LockEscrow", "o", "w-alice", "w-bob", "1"), ChainErrorCode.FORBIDDEN);
  await refused(chain.submit(alice, "token:LockEscrow", "o", "w-alice", "w-nobody", "1"), ChainErrorCode.NOT_FOUND);
  await refused(chain.submit(alice, "token:LockEscrow", "o", "w-alice", "w-alice", "1"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.submit(alice, "token:ReleaseEscrow", "o"), ChainErrorCode.NOT_FOUND);
});

escrow.run();

const burns = suite("token:BurnForWithdrawal");

burns("the owner burns for a withdrawal once per withdrawal id", async () => {
  const { chain, alice, bob } = await wallets();
  const burned = await chain.submit(alice, "token:BurnForWithdrawal", "wd-1", "w-alice", "250", "bank:DE001");
  assert.equal([burned.account.balance, burned.burn.kind, burned.burn.toAddress], ["750", "WITHDRAWAL", "bank:DE001"]);
  await refused(
    chain.submit(alice, "token:BurnForWithdrawal", "wd-1", "w-alice", "250", "bank:DE001"),
    ChainErrorCode.ALREADY_USED,
  );
  await refused(
    chain.submit(bob, "token:BurnForWithdrawal", "wd-2", "w-alice", "1", "bank:DE001"),
    ChainErrorCode.FORBIDDEN,
  );
  await refused(
    chain.submit(alice, "token:BurnForWithdrawal", "wd-2", "w-alice", "751", "bank:DE001"),
    ChainErrorCode.INSUFFICIENT_FUNDS,
  );
  assert.equal(await chain.evaluate(alice, "token:GetBurn", "wd-1"), burned.burn);
  assert.equal(await chain.evaluate(alice, "token:GetSupply"), {
    minted: "1000",
    burned: "250",
    outstanding: "750",
    escrowed: "0",
  });
});

burns.run();
