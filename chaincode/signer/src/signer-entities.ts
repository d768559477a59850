import { ChainIdentityRecord } from "@clearbook/client";
import { SignedTx } from "./submission/signed-tx.entity.js";
import { IdentityRecord } from "./vault/identity.entity.js";

/** Every table of the signer's own database (`clearbook_signer`); `chain_identity` is the outcome tracker's chain. */
export const signerEntities = [IdentityRecord, SignedTx, ChainIdentityRecord] as const;
