import { tallyOf } from "../ballots/ballot.service.js";
import { FULL_BPS } from "../ballots/ballot-rules.js";
import type { Ballot } from "../db/ballot.entity.js";
import type { VoteReceipt } from "../votes/vote.service.js";
import { BallotType, VoteReceiptType, VoteTallyType } from "./types.js";

export function toBallot(row: Ballot): BallotType {
  return Object.assign(new BallotType(), {
    id: row.id,
    orgId: row.orgId,
    entryId: row.entryId,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    status: row.status,
    quorum: row.quorumBps / FULL_BPS,
    threshold: row.thresholdBps / FULL_BPS,
    tally: Object.assign(new VoteTallyType(), tallyOf(row)),
  });
}

export function toReceipt(receipt: VoteReceipt): VoteReceiptType {
  return Object.assign(new VoteReceiptType(), {
    ballotId: receipt.ballotId,
    choice: receipt.choice,
    pending: receipt.status === "PENDING",
    txId: receipt.txId,
  });
}
