import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { createChainClient, identityOf, loadConnectionProfile, privateKeySigner } from "@clearbook/client";
import { AppError, ErrorCode } from "@clearbook/kit";

/**
 * Resolves once the chaincode answers an evaluation through the profile's peer (a NOT_FOUND from the
 * contract counts: the chaincode ran). The peer dials the chaincode server lazily, so the first calls
 * after `commit` can fail while it connects.
 * @throws the last error when `timeoutMs` passes first.
 */
export async function waitUntilServing(profilePath: string, timeoutMs = 60_000): Promise<void> {
  const profile = await loadConnectionProfile(profilePath);
  if (!profile.admin) throw new Error(`${profilePath} names no admin identity`);
  const reader = {
    identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
    sign: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
  };
  const chain = createChainClient({ profile, reader, commitWatch: "status" });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await chain.evaluate("token:GetAccount", ["readiness-probe"]);
        return;
      } catch (error) {
        if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) return;
        if (Date.now() > deadline) throw error;
        await delay(200);
      }
    }
  } finally {
    chain.dispose();
  }
}
