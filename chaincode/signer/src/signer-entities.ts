import { SignedTx } from "./submission/signed-tx.entity.js";
import { IdentityRecord } from "./vault/identity.entity.js";

/** Every table of the signer's own database (`clearbook_signer`). */
export const signerEntities = [IdentityRecord, SignedTx] as const;
