import { registerEnumType } from "type-graphql";
import { BallotStatus } from "../db/ballot.entity.js";
import { VoteChoice } from "../db/vote.entity.js";

registerEnumType(VoteChoice, {
  name: "VoteChoice",
  description: "A member's vote on a spending entry.",
  valuesConfig: {
    APPROVE: { description: "For paying the money out." },
    REJECT: { description: "Against paying the money out." },
  },
});
registerEnumType(BallotStatus, {
  name: "BallotStatus",
  description: "A ballot is OPEN until it closes, then finalized once on the chain as APPROVED or REJECTED.",
  valuesConfig: {
    OPEN: { description: "Members may vote (until `closesAt`)." },
    APPROVED: { description: "Quorum reached and more than the threshold approved: the spending is approved." },
    REJECTED: { description: "Quorum missed or the threshold not met: the spending is rejected." },
  },
});

export { BallotStatus, VoteChoice };
