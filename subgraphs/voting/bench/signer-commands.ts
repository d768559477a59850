import { randomUUID } from "node:crypto";
import { parseReadReply, type Redis, signCommandEntry } from "@clearbook/kit";
import { eventually } from "./stack.js";

/**
 * Talks to the signer the way services do: commands on `cmd:<domain>`, outcomes read back from
 * `evt:chain` (matched by command id). Also counts committed votes, for the pipeline timeline.
 */
export interface SignerCommands {
  command(domain: string, type: string, payload: unknown): Promise<string>;
  /** A chain transaction signed as `userId` (the signer holds the key). */
  onChain(userId: string, transaction: string, args: string[]): Promise<string>;
  /** Waits for every command's outcome; throws when one was refused. */
  settled(ids: string[], what: string): Promise<void>;
  /** Issues an admin identity the operator's way (the signer's `enroll-admin`; no stream may ask for one). */
  enrollAdmin(userId: string): Promise<void>;
  /** `voting:CastVote` transactions committed so far. */
  committedVotes(): number;
  dispose(): Promise<void>;
}

export function createSignerCommands(
  redis: Redis,
  namespace: string,
  say: (line: string) => void,
  options: {
    /** The ledger's command key, which the signer was given: the bench's commands stand in for the ledger's. */
    ledgerKey: string;
    enrollAdmin(userId: string): Promise<void>;
  },
): SignerCommands {
  const outcomes = new Map<string, { type: string; data: Record<string, unknown> }>();
  let votes = 0;
  let tailing = true;
  const tail = (async () => {
    const reader = redis.duplicate();
    let last = "0";
    while (tailing) {
      const reply = await reader.xread("COUNT", 1000, "BLOCK", 200, "STREAMS", `${namespace}evt:chain`, last);
      for (const entry of parseReadReply(reply)) {
        last = entry.id;
        if (!entry.fields?.data) continue;
        const data = JSON.parse(entry.fields.data) as Record<string, unknown>;
        if (typeof data.commandId === "string") outcomes.set(data.commandId, { type: entry.fields.type ?? "", data });
        if (data.function === "voting:CastVote" && entry.fields.type === "TransactionCommitted") votes++;
      }
    }
    reader.disconnect();
  })();

  const command = async (domain: string, type: string, payload: unknown) => {
    const id = randomUUID();
    const fields = { id, type, payload: JSON.stringify(payload), at: String(Date.now()) };
    const signature = signCommandEntry({ service: "ledger", key: Buffer.from(options.ledgerKey) }, domain, fields);
    await redis.xadd(`${namespace}cmd:${domain}`, "*", ...Object.entries(fields).flat(), ...signature);
    return id;
  };

  return {
    command,
    enrollAdmin: options.enrollAdmin,
    onChain: (userId, transaction, args) => command("ledger", transaction, { userId, transaction, args }),
    async settled(ids, what) {
      const since = Date.now();
      await eventually(what, async () => ids.every((id) => outcomes.has(id)), 300_000);
      say(`  ${what}: ${ids.length} in ${((Date.now() - since) / 1000).toFixed(1)}s`);
      const failed = ids.map((id) => outcomes.get(id)).filter((o) => o?.type === "TransactionRejected");
      if (failed.length) throw new Error(`${what}: ${failed.length} refused, e.g. ${JSON.stringify(failed[0]?.data)}`);
    },
    committedVotes: () => votes,
    async dispose() {
      tailing = false;
      await tail;
    },
  };
}

/**
 * An organization of a founder (council) and `voters` members, and one open spending ballot, all put
 * on chain through the signer. @returns the ids.
 */
export async function setUpOrganization(
  signer: SignerCommands,
  admin: string,
  voters: readonly string[],
): Promise<{ orgId: string; founder: string; ballotId: string }> {
  const { command, onChain, settled } = signer;
  const founder = randomUUID();
  await signer.enrollAdmin(admin);
  await settled(
    await Promise.all([founder, ...voters].map((userId) => command("signer", "EnrollUser", { userId, role: "user" }))),
    "the members' identities",
  );
  const orgId = randomUUID();
  await settled(
    [await onChain(admin, "org:CreateOrganization", [orgId, "Bench council", founder])],
    "the organization",
  );
  const requests = voters.map(() => randomUUID());
  await settled(
    await Promise.all(voters.map((v, i) => onChain(v, "org:RequestMembership", [requests[i] ?? "", orgId]))),
    "membership requests",
  );
  await settled(await Promise.all(requests.map((r) => onChain(founder, "org:ApproveMembership", [r]))), "approvals");
  const ballotId = randomUUID();
  const proposal = [randomUUID(), ballotId, orgId, "Bench", "2026", "2", "1000", randomUUID(), "[]"];
  await settled([await onChain(founder, "ledger:ProposeSpending", proposal)], "the spending proposal");
  return { orgId, founder, ballotId };
}
