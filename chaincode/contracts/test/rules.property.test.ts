import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Ballot } from "../src/api.js";
import { ChainErrorCode, decidedOutcome, EntryLimits, entryFieldsProblem } from "../src/api.js";
import { tallyVotes } from "../src/voting/tally.js";
import { orgWithMembers } from "./support/fixtures.js";
import { ChainCallError } from "./support/test-chain.js";

/** Values around every limit, plus some anywhere. */
const around = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: min - 2, max: min + 2 }),
    fc.integer({ min: max - 2, max: max + 2 }),
    fc.integer({ min: -10, max: 5000 }),
  );
const eventName = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    " ",
    " Bake sale ",
    "a\u0007b",
    "tab\there",
    "x".repeat(200),
    ` ${"x".repeat(200)} `,
    "x".repeat(201),
  ),
  fc.string({ minLength: 195, maxLength: 205 }),
);

const rules = suite("shared rules agree with the chaincode");

rules("SubmitDeposit accepts an entry's fields exactly when entryFieldsProblem finds none", async () => {
  const { chain, members } = await orgWithMembers(1);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      eventName,
      around(EntryLimits.yearMin, EntryLimits.yearMax),
      around(EntryLimits.semesterMin, EntryLimits.semesterMax),
      async (name, year, semester) => {
        n += 1;
        const expected = entryFieldsProblem({ eventName: name, year, semester });
        try {
          await chain.submit(
            members[0]!,
            "ledger:SubmitDeposit",
            `dep-${n}`,
            "org-1",
            name,
            String(year),
            String(semester),
            "100",
            "[]",
          );
        } catch (error) {
          if (!(error instanceof ChainCallError)) throw error;
          assert.is(error.code, ChainErrorCode.BAD_USER_INPUT, error.message);
          assert.ok(expected, `the chain refused what the rule accepts: ${error.message}`);
          assert.match(error.message, `${expected.field}:`);
          return;
        }
        assert.is(expected, null, "the chain accepted what the rule refuses");
      },
    ),
    { numRuns: 300 },
  );
});

rules("the chain's tally is the shared ballot arithmetic, as exact rationals", () => {
  const ballot = (quorumBps: number, thresholdBps: number, eligibleCount: number): Ballot => ({
    ballotId: "b",
    orgId: "o",
    entryId: "e",
    opensAt: "",
    closesAt: "",
    eligibleCount,
    quorumBps,
    thresholdBps,
    status: "OPEN",
    finalizedAt: null,
    finalizedBy: null,
    finalTally: null,
  });
  fc.assert(
    fc.property(
      fc.nat({ max: 40 }),
      fc.nat({ max: 40 }),
      fc.nat({ max: 40 }),
      fc.nat({ max: 10_000 }),
      fc.nat({ max: 10_000 }),
      (approve, reject, extra, quorumBps, thresholdBps) => {
        const eligible = approve + reject + extra;
        const votes = [
          ...Array.from({ length: approve }, (_, i) => ({ userId: `a${i}`, choice: "APPROVE" as const })),
          ...Array.from({ length: reject }, (_, i) => ({ userId: `r${i}`, choice: "REJECT" as const })),
        ].map((v) => ({ ...v, ballotId: "b", castAt: "", txId: "" }));
        const t = tallyVotes(ballot(quorumBps, thresholdBps, eligible), votes);
        const cast = approve + reject;
        // The rule, written as exact rationals: quorum cast/eligible ≥ q, approval approve/cast > t.
        const quorum = cast * 10_000 >= quorumBps * eligible;
        const approves = cast > 0 && approve * 10_000 > thresholdBps * cast;
        assert.is(t.quorumReached, quorum);
        assert.is(t.leading, quorum && approves ? "APPROVED" : "REJECTED");
      },
    ),
    { numRuns: 300 },
  );
});

rules("FinalizeBallot closes a ballot early exactly when decidedOutcome says the outcome is decided", async () => {
  const choice = fc.constantFrom(null, "APPROVE" as const, "REJECT" as const);
  await fc.assert(
    fc.asyncProperty(
      fc.array(choice, { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 9_999 }),
      async (choices, quorumBps, thresholdBps) => {
        // The founder and one member per choice are eligible; the founder does not vote.
        const { chain, founder, members } = await orgWithMembers(choices.length);
        await chain.submit(founder, "org:UpdateSettings", "org-1", "3600", String(quorumBps), String(thresholdBps));
        const args = ["sp-1", "b-1", "org-1", "Party", "2026", "1", "100", "vendor", "[]"] as const;
        await chain.submit(founder, "ledger:ProposeSpending", ...args);
        const counts = { approve: 0, reject: 0, eligible: choices.length + 1 };
        for (const [i, vote] of choices.entries()) {
          if (!vote) continue;
          await chain.submit(members[i]!, "voting:CastVote", "b-1", vote);
          if (vote === "APPROVE") counts.approve += 1;
          else counts.reject += 1;
        }
        const expected = decidedOutcome(counts, { quorumBps, thresholdBps });
        try {
          const finalized = await chain.submit(founder, "voting:FinalizeBallot", "b-1");
          assert.is(finalized.ballot.status, expected, "the chain finalized early what the rule calls undecided");
        } catch (error) {
          if (!(error instanceof ChainCallError)) throw error;
          assert.is(error.code, ChainErrorCode.BALLOT_OPEN, error.message);
          assert.is(expected, null, "the chain refused an early finalization the rule allows");
        }
      },
    ),
    { numRuns: 60 },
  );
});

rules.run();
