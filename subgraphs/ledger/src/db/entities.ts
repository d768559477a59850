import { ChainCheckpoint, ChainIdentityRecord } from "@clearbook/client";
import { ChainTransactionEntity } from "./chain-transaction.entity.js";
import { DeferredCommandEntity } from "./deferred-command.entity.js";
import { EntryActivityEntity } from "./entry-activity.entity.js";
import { EvidenceEntity } from "./evidence.entity.js";
import { FabricIdentityEntity } from "./fabric-identity.entity.js";
import { LedgerEntryEntity } from "./ledger-entry.entity.js";
import { MembershipEntity } from "./membership.entity.js";
import { MembershipRequestEntity } from "./membership-request.entity.js";
import { OrganizationEntity } from "./organization.entity.js";
import { RefreshTokenEntity } from "./refresh-token.entity.js";
import { UserEntity } from "./user.entity.js";

export const ledgerEntities = [
  UserEntity,
  RefreshTokenEntity,
  OrganizationEntity,
  MembershipEntity,
  MembershipRequestEntity,
  LedgerEntryEntity,
  EntryActivityEntity,
  EvidenceEntity,
  ChainTransactionEntity,
  FabricIdentityEntity,
  DeferredCommandEntity,
  // The indexer's chaincode-event checkpoint (the chain client's table, in this database).
  ChainCheckpoint,
  // Which chain that checkpoint belongs to (issue 24).
  ChainIdentityRecord,
];
