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

registerEnumType(Role, { name: "Role" });
registerEnumType(EntryKindEnum, { name: "EntryKind" });
registerEnumType(EntryStatusEnum, { name: "EntryStatus" });
registerEnumType(TxStatusEnum, { name: "TxStatus" });
