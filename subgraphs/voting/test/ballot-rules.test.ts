import * as chainRules from "@clearbook/contracts/api";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decidedOutcome, outcome, quorumReached, turnout } from "../src/ballots/ballot-rules.js";

const rules = { quorumBps: 5000, thresholdBps: 5000 };

const rulesSuite = suite("ballot rules");

rulesSuite("turnout is the share of eligible members who voted, and 0 with nobody eligible", () => {
  assert.is(turnout({ approve: 3, reject: 1, eligible: 8 }), 0.5);
  assert.is(turnout({ approve: 0, reject: 0, eligible: 0 }), 0);
});

rulesSuite("quorum counts votes of both kinds against the eligible members", () => {
  assert.ok(quorumReached({ approve: 2, reject: 3, eligible: 10 }, rules));
  assert.not.ok(quorumReached({ approve: 2, reject: 2, eligible: 10 }, rules));
});

rulesSuite("a ballot passes with quorum and an approval share above the threshold", () => {
  const cases: [number, number, number, string][] = [
    [4, 3, 10, "APPROVED"],
    [3, 3, 10, "REJECTED"], // a tie is not above 50 %
    [2, 3, 10, "REJECTED"],
    [4, 0, 10, "REJECTED"], // no quorum
    [0, 0, 0, "REJECTED"], // nobody voted
  ];
  for (const [approve, reject, eligible, expected] of cases) {
    assert.is(outcome({ approve, reject, eligible }, rules), expected, `${approve}/${reject}/${eligible}`);
  }
});

rulesSuite("an outcome is decided only when no outstanding vote could change it", () => {
  assert.is(decidedOutcome({ approve: 6, reject: 0, eligible: 10 }, rules), "APPROVED");
  assert.is(decidedOutcome({ approve: 5, reject: 0, eligible: 10 }, rules), null); // 5 of 10 is a tie
  assert.is(decidedOutcome({ approve: 0, reject: 5, eligible: 10 }, rules), "REJECTED");
  assert.is(decidedOutcome({ approve: 3, reject: 3, eligible: 10 }, rules), null);
  assert.is(decidedOutcome({ approve: 1, reject: 1, eligible: 2 }, rules), "REJECTED");
  assert.is(decidedOutcome({ approve: 2, reject: 0, eligible: 3 }, rules), "APPROVED");
});

rulesSuite("with everyone voted the decided outcome is the outcome", () => {
  for (let approve = 0; approve <= 7; approve++) {
    const counts = { approve, reject: 7 - approve, eligible: 7 };
    assert.is(
      decidedOutcome(counts, { quorumBps: 6000, thresholdBps: 6667 }),
      outcome(counts, { quorumBps: 6000, thresholdBps: 6667 }),
    );
  }
});

rulesSuite("are the chaincode's own rules from @clearbook/contracts/api, for any counts", () => {
  const counts = fc
    .tuple(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }))
    .map(([approve, reject, extra]) => ({ approve, reject, eligible: approve + reject + extra }));
  const thresholds = fc.record({ quorumBps: fc.nat({ max: 10_000 }), thresholdBps: fc.nat({ max: 9_999 }) });
  fc.assert(
    fc.property(counts, thresholds, (c, r) => {
      assert.is(outcome(c, r), chainRules.ballotOutcome(c, r));
      assert.is(decidedOutcome(c, r), chainRules.decidedOutcome(c, r));
      assert.is(quorumReached(c, r), chainRules.quorumReached(c, r));
    }),
    { numRuns: 1000 },
  );
});

rulesSuite.run();
