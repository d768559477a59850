import { registerEnumType } from "type-graphql";
import { BallotStatus } from "../db/ballot.entity.js";
import { VoteChoice } from "../db/vote.entity.js";

registerEnumType(VoteChoice, { name: "VoteChoice" });
registerEnumType(BallotStatus, { name: "BallotStatus" });

export { BallotStatus, VoteChoice };
