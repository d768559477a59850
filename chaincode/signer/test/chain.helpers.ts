import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChainClient, identityOf } from "@clearbook/client";
import { createDevpeer, type Devpeer, issueIdentity } from "@clearbook/devpeer";
import { parseEntryList, type Redis } from "@clearbook/kit";
import type { KeyVault } from "../src/index.js";
import { addCommand } from "./helpers.js";

/** An in-process devpeer on a free port in a temporary directory. */
export async function startDevpeer(): Promise<Devpeer & { dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-signer-devpeer-"));
  const devpeer = await createDevpeer({ dir: join(dir, "devpeer"), port: 0 });
  return {
    ...devpeer,
    dir,
    async cleanup() {
      await devpeer.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Issues users from the devpeer's CA straight into the vault (enrollment has its own tests). */
export async function enrollUsers(
  devpeer: Devpeer,
  vault: KeyVault,
  users: Array<{ userId: string; role?: "user" | "admin" | "service" }>,
) {
  const certs = new Map<string, string>();
  for (const { userId, role = "user" } of users) {
    const issued = await issueIdentity(devpeer.credentials.ca, { userId, role });
    const stored = await vault.store({
      userId,
      mspId: "ClearbookMSP",
      role,
      certPem: issued.certificatePem,
      keyPem: issued.privateKeyPem,
    });
    certs.set(userId, stored.certPem);
  }
  return certs;
}

/** What a service does: prepare the proposal with the user's certificate and enqueue the command. */
export async function enqueueChainCommand(
  redis: Redis,
  chain: ChainClient,
  stream: string,
  command: {
    userId: string;
    certPem: string;
    transaction: string;
    args: string[];
    commandId?: string;
    /** Who signs the entry (the stream's domain by default; null: unsigned). */
    service?: string | null;
  },
) {
  const { txId, proposalBytes } = chain.prepareProposal({
    identity: identityOf("ClearbookMSP", command.certPem),
    transaction: command.transaction,
    args: command.args,
  });
  const commandId = command.commandId ?? randomUUID();
  const payload = {
    userId: command.userId,
    txId,
    proposal: Buffer.from(proposalBytes).toString("base64"),
    transaction: command.transaction,
    args: command.args,
  };
  await addCommand(
    redis,
    stream,
    { id: commandId, type: command.transaction, payload: JSON.stringify(payload), at: String(Date.now()) },
    command.service,
  );
  return { commandId, txId };
}

export interface Outcome {
  type: string;
  data: Record<string, unknown> & { commandId: string; txId: string; originalTxId: string };
}

/** Every outcome on `evt:chain` so far, by command id (the last one wins). */
export async function outcomes(redis: Redis, stream: string): Promise<Map<string, Outcome>> {
  const byCommand = new Map<string, Outcome>();
  for (const entry of parseEntryList(await redis.xrange(stream, "-", "+"))) {
    if (!entry.fields?.data || !entry.fields.type) continue;
    const data = JSON.parse(entry.fields.data) as Outcome["data"];
    if (data.commandId) byCommand.set(data.commandId, { type: entry.fields.type, data });
  }
  return byCommand;
}
