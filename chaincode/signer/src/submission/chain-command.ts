import { type CommandEnvelope, PermanentError } from "@clearbook/kit";
import { z } from "zod";

/**
 * A chain submission as services enqueue it on `cmd:<domain>`: who acts, what to call, and the
 * unsigned proposal whose transaction id the service already returned to its client. Without
 * `proposal`, the signer builds one (the service then learns the tx id from `evt:chain`).
 */
const actorSchema = z.union([
  z.object({ kind: z.literal("user"), userId: z.string().min(1).max(128) }),
  z.object({ kind: z.literal("service") }),
]);

const chainCommandSchema = z.object({
  /** The acting user; or `actor`, where `{kind:"service"}` means the service identity of the stream's domain. */
  userId: z.string().min(1).max(128).optional(),
  actor: actorSchema.optional(),
  txId: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  proposal: z.base64().optional(),
  transaction: z.string().regex(/^[a-z]+:[A-Za-z]+$/, "expected <contract>:<Function>"),
  args: z.array(z.string()),
});

export interface ChainCommand {
  commandId: string;
  userId: string;
  /** The transaction id the service announced (the proposal's), if it built one. */
  txId: string | undefined;
  proposal: Uint8Array | undefined;
  transaction: string;
  args: string[];
}

/** The enrollment command on `cmd:signer`: issue (once) a Fabric identity for a user. */
const enrollCommandSchema = z.object({
  userId: z.string().min(1).max(128),
  role: z.enum(["admin", "user", "service"]).default("user"),
});

export type EnrollCommand = z.output<typeof enrollCommandSchema> & { commandId: string };

/** Command types on `cmd:signer`. Every other stream carries chain submissions, whatever their type. */
export const SignerCommandType = { ENROLL_USER: "EnrollUser" } as const;

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
}

/** The vault user id of a service's own identity (`service:voting` signs the voting finalizer's commands). */
export function serviceUserId(domain: string): string {
  return `service:${domain}`;
}

/**
 * @param domain the stream's domain, which names the service identity of a `{kind:"service"}` actor.
 * @throws PermanentError when the payload does not fit (no retry can fix it).
 */
export function parseChainCommand(envelope: CommandEnvelope, domain: string): ChainCommand {
  const parsed = chainCommandSchema.safeParse(envelope.payload);
  if (!parsed.success) throw new PermanentError(`BAD_COMMAND: ${problems(parsed.error)}`);
  const { proposal, txId, userId, actor, transaction, args } = parsed.data;
  const acting = userId ?? (actor?.kind === "user" ? actor.userId : actor ? serviceUserId(domain) : undefined);
  if (!acting) throw new PermanentError("BAD_COMMAND: the command names no acting user (userId or actor)");
  return {
    commandId: envelope.commandId,
    userId: acting,
    transaction,
    args,
    txId,
    proposal: proposal ? Buffer.from(proposal, "base64") : undefined,
  };
}

/** @throws PermanentError when the payload does not fit. */
export function parseEnrollCommand(envelope: CommandEnvelope): EnrollCommand {
  const parsed = enrollCommandSchema.safeParse(envelope.payload);
  if (!parsed.success) throw new PermanentError(`BAD_COMMAND: ${problems(parsed.error)}`);
  return { commandId: envelope.commandId, ...parsed.data };
}
