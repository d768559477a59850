import {
  type CommandEnvelope,
  type CommandKeys,
  type ConsumerStats,
  createCommandConsumer,
  type DeadLetterInfo,
  type Logger,
  type Redis,
  type ServiceMetrics,
  type StreamConsumer,
} from "@clearbook/kit";
import type { EnrollmentService } from "./enrollment/enrollment.service.js";
import {
  type ChainCommand,
  parseChainCommand,
  parseEnrollCommand,
  SignerCommandType,
} from "./submission/chain-command.js";
import { checkEnrollmentAllowed, checkTransactionAllowed, verifyStreamEntry } from "./submission/command-policy.js";
import type { SubmissionService } from "./submission/submission.service.js";

/** The command streams the signer consumes by default: every domain that writes to the chain, and its own. */
export const SIGNER_DOMAINS = ["ledger", "voting", "wallet", "marketplace", "withdrawal", "signer"] as const;

export interface SignerWorkerOptions {
  redis: Redis;
  submission: SubmissionService;
  enrollment: EnrollmentService;
  domains?: readonly string[];
  /** Each producing service's command key: entries not signed by a service allowed on their stream are refused. */
  commandKeys: CommandKeys;
  /** Unique per process; the consumer group is shared, so several signers split the work. */
  consumerName: string;
  group?: string;
  /** Commands handled at once, per stream. */
  concurrency: number;
  maxDeliveries?: number;
  claimIdleMs?: number;
  blockMs?: number;
  /** Key prefix for tests (`test:signer:`). */
  namespace?: string;
  logger?: Logger;
  metrics?: Pick<ServiceMetrics, "streamEntries">;
}

export interface SignerWorker {
  start(): Promise<void>;
  stats(): Record<string, Readonly<ConsumerStats>>;
  /** Stops reading; unfinished commands stay pending for another signer. */
  dispose(): Promise<void>;
}

/** One consumer per command stream, all in the `signer` group. */
export function createSignerWorker(options: SignerWorkerOptions): SignerWorker {
  const domains = options.domains ?? SIGNER_DOMAINS;
  const handle = (domain: string) => async (envelope: CommandEnvelope) => {
    if (domain === "signer") {
      if (envelope.type !== SignerCommandType.ENROLL_USER) return; // unknown signer commands: nothing to do
      const enroll = parseEnrollCommand(envelope);
      checkEnrollmentAllowed(enroll, envelope.producer);
      return options.enrollment.handle(enroll);
    }
    const command = parseChainCommand(envelope, domain);
    checkTransactionAllowed(domain, command.transaction);
    return options.submission.handle(command);
  };
  /** A chain command given up on still gets an outcome, so its service does not wait for ever. */
  const onDeadLetter = (domain: string) => async (letter: DeadLetterInfo<CommandEnvelope>) => {
    if (domain === "signer" || !letter.message) return;
    let command: ChainCommand;
    try {
      command = parseChainCommand(letter.message, domain);
    } catch {
      return; // not a command anyone can match an outcome to
    }
    await options.submission.deadLettered(command, letter.reason, letter.deliveries);
  };
  const consumers: Array<[string, StreamConsumer]> = domains.map((domain) => [
    domain,
    createCommandConsumer({
      redis: options.redis,
      domain,
      group: options.group ?? "signer",
      consumer: options.consumerName,
      concurrency: options.concurrency,
      handle: handle(domain),
      verify: (fields) => verifyStreamEntry(options.commandKeys, domain, fields),
      onDeadLetter: onDeadLetter(domain),
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.maxDeliveries !== undefined ? { maxDeliveries: options.maxDeliveries } : {}),
      ...(options.claimIdleMs !== undefined ? { claimIdleMs: options.claimIdleMs } : {}),
      ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
      ...(options.logger ? { logger: options.logger.child({ stream: domain }) } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    }),
  ]);
  return {
    async start() {
      await Promise.all(consumers.map(([, consumer]) => consumer.start()));
    },
    stats: () => Object.fromEntries(consumers.map(([domain, consumer]) => [domain, consumer.stats])),
    async dispose() {
      await Promise.all(consumers.map(([, consumer]) => consumer.dispose()));
    },
  };
}
