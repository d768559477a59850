import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Account, Escrow } from "../src/api.js";
import { ChainErrorCode } from "../src/api.js";
import { ids } from "./support/fixtures.js";
import type { TestIdentity } from "./support/identities.js";
import { ChainCallError, TestChain } from "./support/test-chain.js";

const WALLETS = 4;
const RUNS = 25;
const OPS_PER_RUN = 120;

type Op =
  | { kind: "mint"; to: number; amount: number }
  | { kind: "transfer"; from: number; to: number; amount: number; by: number }
  | { kind: "lock"; buyer: number; seller: number; amount: number }
  | { kind: "release"; order: number; byBuyer: boolean }
  | { kind: "refund"; order: number; bySeller: boolean }
  | { kind: "burn"; from: number; amount: number; by: number }
  | { kind: "deposit"; amount: number }
  /** Approved spending paid to wallet `to`, or off-chain (burned) when `to` is -1. */
  | { kind: "spend"; amount: number; to: number };

const wallet = fc.integer({ min: 0, max: WALLETS - 1 });
const amount = fc.integer({ min: 1, max: 1500 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("mint" as const), to: wallet, amount }),
  fc.record({ kind: fc.constant("transfer" as const), from: wallet, to: wallet, amount, by: wallet }),
  fc.record({ kind: fc.constant("lock" as const), buyer: wallet, seller: wallet, amount }),
  fc.record({ kind: fc.constant("release" as const), order: fc.nat({ max: 40 }), byBuyer: fc.boolean() }),
  fc.record({ kind: fc.constant("refund" as const), order: fc.nat({ max: 40 }), bySeller: fc.boolean() }),
  fc.record({ kind: fc.constant("burn" as const), from: wallet, amount, by: wallet }),
  fc.record({ kind: fc.constant("deposit" as const), amount }),
  fc.record({ kind: fc.constant("spend" as const), amount, to: fc.integer({ min: -1, max: WALLETS - 1 }) }),
);

const ORG = "org-p";
const TREASURY = `org:${ORG}`;

/** Expected state, kept beside the chain: the chain must accept and refuse exactly as this predicts. */
interface Model {
  balances: bigint[];
  treasury: bigint;
  orders: Array<{ buyer: number; seller: number; amount: bigint; open: boolean }>;
}

/** The operation's expected refusal code, or null when the model says it must succeed. */
function expectedRefusal(model: Model, o: Op): ChainErrorCode | null {
  const funds = (w: number, a: number) =>
    (model.balances[w] ?? 0n) < BigInt(a) ? ChainErrorCode.INSUFFICIENT_FUNDS : null;
  switch (o.kind) {
    case "mint":
      return null;
    case "transfer":
      if (o.from === o.to) return ChainErrorCode.BAD_USER_INPUT;
      return o.by !== o.from ? ChainErrorCode.FORBIDDEN : funds(o.from, o.amount);
    case "lock":
      return o.buyer === o.seller ? ChainErrorCode.BAD_USER_INPUT : funds(o.buyer, o.amount);
    case "release":
    case "refund": {
      const order = model.orders[o.order];
      if (!order) return ChainErrorCode.NOT_FOUND;
      if (!order.open) return ChainErrorCode.ALREADY_USED;
      const allowed = o.kind === "release" ? o.byBuyer : o.bySeller;
      return allowed ? null : ChainErrorCode.FORBIDDEN;
    }
    case "burn":
      return o.by !== o.from ? ChainErrorCode.FORBIDDEN : funds(o.from, o.amount);
    case "deposit":
      return null;
    case "spend":
      return model.treasury < BigInt(o.amount) ? ChainErrorCode.INSUFFICIENT_FUNDS : null;
  }
}

function applyToModel(model: Model, o: Op): void {
  const b = model.balances;
  const add = (w: number, a: bigint) => {
    b[w] = (b[w] ?? 0n) + a;
  };
  switch (o.kind) {
    case "mint":
      add(o.to, BigInt(o.amount));
      break;
    case "transfer":
      add(o.from, -BigInt(o.amount));
      add(o.to, BigInt(o.amount));
      break;
    case "lock":
      add(o.buyer, -BigInt(o.amount));
      model.orders.push({ buyer: o.buyer, seller: o.seller, amount: BigInt(o.amount), open: true });
      break;
    case "release":
    case "refund": {
      const order = model.orders[o.order]!;
      order.open = false;
      add(o.kind === "release" ? order.seller : order.buyer, order.amount);
      break;
    }
    case "burn":
      add(o.from, -BigInt(o.amount));
      break;
    case "deposit":
      model.treasury += BigInt(o.amount);
      break;
    case "spend":
      model.treasury -= BigInt(o.amount);
      if (o.to >= 0) add(o.to, BigInt(o.amount));
      break;
  }
}

interface Actors {
  admin: TestIdentity;
  users: TestIdentity[];
  /** Council members of ORG: the treasurer submits and proposes, the auditor approves. */
  treasurer: TestIdentity;
  auditor: TestIdentity;
}

async function run(chain: TestChain, model: Model, actors: Actors, o: Op, step: number) {
  const { admin, users, treasurer, auditor } = actors;
  const w = (i: number) => `w-${i}`;
  const user = (i: number) => users[i]!;
  // For refusal cases, an identity that is neither party of the order.
  const outsider = (order: Model["orders"][number] | undefined) =>
    user([...Array(WALLETS).keys()].find((i) => i !== order?.buyer && i !== order?.seller) ?? 0);
  switch (o.kind) {
    case "mint":
      return chain.submit(admin, "token:Mint", `mint-${step}`, w(o.to), String(o.amount));
    case "transfer":
      return chain.submit(user(o.by), "token:Transfer", `tr-${step}`, w(o.from), w(o.to), String(o.amount));
    case "lock":
      // Successful locks get consecutive order ids, so order i of the model is `order-i` on the chain.
      return chain.submit(
        user(o.buyer),
        "token:LockEscrow",
        `order-${model.orders.length}`,
        w(o.buyer),
        w(o.seller),
        String(o.amount),
      );
    case "release": {
      const order = model.orders[o.order];
      const who = o.byBuyer ? user(order?.buyer ?? 0) : outsider(order);
      return chain.submit(who, "token:ReleaseEscrow", `order-${o.order}`);
    }
    case "refund": {
      const order = model.orders[o.order];
      const who = o.bySeller ? user(order?.seller ?? 0) : outsider(order);
      return chain.submit(who, "token:RefundEscrow", `order-${o.order}`);
    }
    case "burn":
      return chain.submit(user(o.by), "token:BurnForWithdrawal", `wd-${step}`, w(o.from), String(o.amount), "bank:x");
    case "deposit":
      await chain.submit(
        treasurer,
        "ledger:SubmitDeposit",
        `dep-${step}`,
        ORG,
        "Dues",
        "2026",
        "1",
        String(o.amount),
        "[]",
      );
      return chain.submit(auditor, "ledger:ApproveDeposit", `dep-${step}`);
    case "spend": {
      const payee = o.to >= 0 ? w(o.to) : "iban:external";
      const [entry, ballot] = [`sp-${step}`, `b-${step}`];
      await chain.submit(
        treasurer,
        "ledger:ProposeSpending",
        entry,
        ballot,
        ORG,
        "Gala",
        "2026",
        "1",
        String(o.amount),
        payee,
        "[]",
      );
      await chain.submit(treasurer, "voting:CastVote", ballot, "APPROVE");
      await chain.submit(auditor, "voting:CastVote", ballot, "APPROVE");
      await chain.submit(admin, "voting:FinalizeBallot", ballot);
      return chain.submit(treasurer, "token:PayoutSpending", entry);
    }
  }
}

/** A fresh chain with the wallets opened and an organization whose council has two members. */
async function setUp(actors: Actors): Promise<TestChain> {
  const chain = new TestChain();
  const { admin, users, treasurer, auditor } = actors;
  for (const [i, user] of users.entries()) await chain.submit(user, "token:OpenAccount", `w-${i}`);
  await chain.submit(admin, "org:CreateOrganization", ORG, "Treasury", "treasurer");
  await chain.submit(auditor, "org:RequestMembership", "req-auditor", ORG);
  await chain.submit(treasurer, "org:ApproveMembership", "req-auditor");
  await chain.submit(treasurer, "org:GrantCouncil", ORG, "auditor");
  return chain;
}

/** Sums every account and LOCKED escrow straight from the world state. */
function stateTotals(chain: TestChain): {
  balances: bigint;
  escrowed: bigint;
  negatives: number;
  byAddress: Map<string, bigint>;
} {
  const byAddress = new Map<string, bigint>();
  let balances = 0n;
  let escrowed = 0n;
  let negatives = 0;
  for (const [key, value] of chain.world.entries()) {
    const type = key.split("\u0000")[1];
    if (type === "account") {
      const account = JSON.parse(value.toString("utf8")) as Account;
      const balance = BigInt(account.balance);
      if (balance < 0n) negatives += 1;
      balances += balance;
      byAddress.set(account.address, balance);
    } else if (type === "escrow") {
      const escrow = JSON.parse(value.toString("utf8")) as Escrow;
      if (escrow.status === "LOCKED") escrowed += BigInt(escrow.amount);
    }
  }
  return { balances, escrowed, negatives, byAddress };
}

const supply = suite("supply invariant under random operations");

supply(
  `sum of balances + escrowed = minted − burned and no balance is negative (${RUNS}×${OPS_PER_RUN} ops)`,
  async () => {
    const admin = await ids.admin();
    const users = await Promise.all([...Array(WALLETS).keys()].map((i) => ids.user(`holder-${i}`)));
    const actors: Actors = { admin, users, treasurer: await ids.user("treasurer"), auditor: await ids.user("auditor") };
    let executed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: OPS_PER_RUN, maxLength: OPS_PER_RUN }), async (ops) => {
        const chain = await setUp(actors);
        const model: Model = { balances: users.map(() => 0n), treasury: 0n, orders: [] };
        for (const [step, o] of ops.entries()) {
          const expected = expectedRefusal(model, o);
          let actual: ChainErrorCode | null = null;
          try {
            await run(chain, model, actors, o, step);
          } catch (error) {
            if (!(error instanceof ChainCallError)) throw error;
            actual = error.code;
          }
          assert.is(actual, expected, `step ${step}: ${JSON.stringify(o)}`);
          if (expected === null) applyToModel(model, o);
          executed += 1;

          const totals = stateTotals(chain);
          const reported = await chain.evaluate(admin, "token:GetSupply");
          assert.is(totals.negatives, 0);
          assert.is((totals.balances + totals.escrowed).toString(), reported.outstanding);
          assert.is(totals.escrowed.toString(), reported.escrowed);
          assert.is((BigInt(reported.minted) - BigInt(reported.burned)).toString(), reported.outstanding);
          for (const [i, balance] of model.balances.entries()) {
            assert.is(totals.byAddress.get(`w-${i}`), balance);
          }
          assert.is(totals.byAddress.get(TREASURY), model.treasury);
        }
      }),
      { numRuns: RUNS, seed: 20260302 },
    );
    assert.ok(executed >= RUNS * OPS_PER_RUN);
  },
);

supply.run();
