import { registerEnumType } from "type-graphql";

export enum Role {
  MEMBER = "MEMBER",
  COUNCIL = "COUNCIL",
  ADMIN = "ADMIN",
}
export enum EntryKindEnum {
  DEPOSIT = "DEPOSIT",
  SPENDING = "SPENDING",
}
export enum EntryStatusEnum {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  VOTING = "VOTING",
  PAID = "PAID",
}
export enum TxStatusEnum {
  PENDING = "PENDING",
  COMMITTED = "COMMITTED",
  REJECTED = "REJECTED",
}

registerEnumType(Role, {
  name: "Role",
  description: "What a member may do in one organization.",
  valuesConfig: {
    MEMBER: { description: "Submits deposits, votes on spending, approves membership requests." },
    COUNCIL: { description: "A member who also decides on deposits, proposes spending and grants the council role." },
    ADMIN: { description: "A platform operator: creates organizations. Not an organization role." },
  },
});
registerEnumType(EntryKindEnum, {
  name: "EntryKind",
  description: "Money in or money out.",
  valuesConfig: {
    DEPOSIT: { description: "Money received by the treasury, decided by the council." },
    SPENDING: { description: "Money paid out of the treasury, decided by a ballot of the members." },
  },
});
registerEnumType(EntryStatusEnum, {
  name: "EntryStatus",
  description:
    "Where an entry (or a membership request) is in its life. A write returns PENDING at once; follow it with " +
    "`ledgerEntryChanged(orgId)` or `transactionConfirmed(txId)`, or poll `ledgerEntry(id)`.",
  valuesConfig: {
    PENDING: { description: "Recorded and submitted to the chain, or waiting for a decision; not yet final." },
    APPROVED: { description: "The chain committed the approval; the money is in the treasury balance." },
    REJECTED: { description: "Rejected by the council or the ballot, or refused by the chain (see `reason`)." },
    VOTING: { description: "Spending whose ballot is open." },
    PAID: { description: "Approved spending that has been paid out." },
  },
});
registerEnumType(TxStatusEnum, {
  name: "TxStatus",
  description: "The state of a blockchain transaction.",
  valuesConfig: {
    PENDING: { description: "Submitted (or about to be); no block holds it yet." },
    COMMITTED: { description: "In a block and valid: its changes are final." },
    REJECTED: { description: "In a block but invalid (see `validationCode`): nothing changed." },
  },
});
