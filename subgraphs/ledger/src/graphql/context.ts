import type { Viewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import type { SessionService } from "../auth/session.service.js";
import type { ChainReads } from "../chain/chain.port.js";
import { type ChainTransaction, ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import { type Evidence, EvidenceEntity } from "../db/evidence.entity.js";
import { type Organization, OrganizationEntity } from "../db/organization.entity.js";
import { type User, UserEntity } from "../db/user.entity.js";
import type { EntryService } from "../entries/entry.service.js";
import type { EvidenceService } from "../evidence/evidence.service.js";
import type { ExplorerService } from "../explorer/explorer.service.js";
import type { OrganizationService } from "../org/organization.service.js";
import { BatchLoader } from "./batch-loader.js";

export interface LedgerServices {
  sessions: SessionService;
  orgs: OrganizationService;
  entries: EntryService;
  evidence: EvidenceService;
  explorer: ExplorerService;
  reads: ChainReads;
}

export interface LedgerLoaders {
  users: BatchLoader<User>;
  orgs: BatchLoader<Organization>;
  evidence: BatchLoader<Evidence>;
  txs: BatchLoader<ChainTransaction>;
}

/** Per-request context: the verified viewer, a forked EntityManager, per-request loaders. */
export interface LedgerContext {
  viewer: Viewer;
  em: EntityManager;
  /** The client's IP when a trusted proxy said it (for log-in throttling); null when unknown. */
  ip: string | null;
  services: LedgerServices;
  loaders: LedgerLoaders;
}

export function createLoaders(em: EntityManager): LedgerLoaders {
  return {
    users: new BatchLoader(
      (ids) => em.find(UserEntity, { id: { $in: ids } }),
      (u) => u.id,
    ),
    orgs: new BatchLoader(
      (ids) => em.find(OrganizationEntity, { id: { $in: ids } }),
      (o) => o.id,
    ),
    evidence: new BatchLoader(
      (ids) => em.find(EvidenceEntity, { id: { $in: ids } }),
      (e) => e.id,
    ),
    txs: new BatchLoader(
      (ids) => em.find(ChainTransactionEntity, { txId: { $in: ids } }),
      (t) => t.txId,
    ),
  };
}
