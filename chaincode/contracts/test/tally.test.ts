import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Ballot } from "../src/api.js";
import { decidedOutcome, outcomeOf } from "../src/voting/tally.js";

const ballot = (quorumBps: number, thresholdBps: number): Ballot => ({
  ballotId: "b",
  orgId: "o",
  entryId: "e",
  opensAt: "",
  closesAt: "",
  eligibleCount: 0,
  quorumBps,
  thresholdBps,
  status: "OPEN",
  finalizedAt: null,
  finalizedBy: null,
  finalTally: null,
});

const rules = suite("ballot rules");

rules("approves only with quorum reached and approvals strictly above the threshold", () => {
  const cases: Array<
    [approve: number, reject: number, eligible: number, quorum: number, threshold: number, outcome: string]
  > = [
    [2, 1, 4, 5000, 5000, "APPROVED"],
    [1, 1, 4, 5000, 5000, "REJECTED"],
    [2, 0, 4, 5000, 5000, "APPROVED"],
    [1, 0, 4, 5000, 5000, "REJECTED"],
    [2, 1, 3, 0, 6666, "APPROVED"],
    [2, 1, 3, 0, 6667, "REJECTED"],
    [0, 0, 3, 0, 0, "REJECTED"],
    [1, 0, 3, 0, 0, "APPROVED"],
    [3, 0, 3, 10000, 9999, "APPROVED"],
  ];
  for (const [approve, reject, eligible, quorum, threshold, outcome] of cases) {
    assert.is(
      outcomeOf(approve, reject, eligible, ballot(quorum, threshold)),
      outcome,
      `${approve}/${reject} of ${eligible}`,
    );
  }
});

rules("decides early only when every remaining vote going either way gives the same outcome", () => {
  const cases: Array<[approve: number, reject: number, eligible: number, outcome: string | null]> = [
    [3, 0, 4, "APPROVED"],
    [2, 0, 4, null],
    [0, 2, 4, "REJECTED"],
    [1, 1, 4, null],
    [0, 0, 1, null],
    [250, 0, 500, null],
    [251, 0, 500, "APPROVED"],
    [0, 250, 500, "REJECTED"],
  ];
  for (const [approve, reject, eligible, outcome] of cases) {
    assert.is(
      decidedOutcome(approve, reject, eligible, ballot(5000, 5000)),
      outcome,
      `${approve}/${reject} of ${eligible}`,
    );
  }
});

rules.run();
