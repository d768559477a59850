import { type ChainClient, defaultRetryPolicy, type RetryPolicy } from "@clearbook/client";
import {
  type Clock,
  type CommandKeys,
  createSqlClient,
  type Logger,
  type OrmHandle,
  type Redis,
  type ServiceMetrics,
} from "@clearbook/kit";
import type { Enroller } from "./enrollment/enroller.js";
import { createEnrollmentService, type EnrollmentService } from "./enrollment/enrollment.service.js";
import { createSignerMetrics, fanOutTimings } from "./signer-metrics.js";
import { createSignerWorker, type SignerWorker } from "./signer-worker.js";
import { createRedisOutcomePublisher, type OutcomePublisher } from "./submission/chain-outcome.js";
import { createSignedTxStore, type SignedTxStore } from "./submission/signed-tx.store.js";
import type { StageTimings } from "./submission/stage-timings.js";
import {
  createSubmissionService,
  DEFAULT_MAX_PROPOSAL_SKEW_MS,
  type SubmissionService,
} from "./submission/submission.service.js";
import { createKeyVault, type KeyVault } from "./vault/key-vault.js";
import type { KeyWrapper } from "./vault/key-wrapper.js";

export interface SignerDeps {
  orm: OrmHandle;
  redis: Redis;
  chain: ChainClient;
  wrapper: KeyWrapper;
  enroller: Enroller;
  mspId: string;
  consumerName: string;
  /** The consumer group; default `signer`. */
  group?: string;
  concurrency: number;
  maxDeliveries?: number;
  claimIdleMs?: number;
  blockMs?: number;
  retry?: RetryPolicy;
  domains?: readonly string[];
  /** Each producing service's command key (`SIGNER_COMMAND_KEYS`, or derived in development; decision 0360). */
  commandKeys: CommandKeys;
  /** How far a service's proposal timestamp may be from the signer's clock; default 120 s. */
  maxProposalSkewMs?: number;
  /** Key prefix for tests (`test:signer:`); production leaves it empty. */
  namespace?: string;
  /** Replaces the `evt:chain` publisher (tests, or the kit's appendEvent). */
  publish?: OutcomePublisher;
  clock?: Clock;
  logger?: Logger;
  /** Receives per-stage durations of every chain command. */
  timings?: Pick<StageTimings, "observe">;
  /** The service's metrics registry: stream entries, outcomes and stage histograms go there. */
  metrics?: ServiceMetrics;
}

export interface Signer {
  vault: KeyVault;
  enrollment: EnrollmentService;
  submission: SubmissionService;
  /** `signed_tx`: its statement counts tell how well commands are batched. */
  store: SignedTxStore;
  worker: SignerWorker;
  /** Stops consuming; the ORM, Redis and chain connections belong to the caller. */
  dispose(): Promise<void>;
}

/** Wires the vault, enrollment, submission and the stream consumers; reads no environment. */
export function createSigner(deps: SignerDeps): Signer {
  const signerMetrics = deps.metrics ? createSignerMetrics(deps.metrics) : undefined;
  const basePublish =
    deps.publish ??
    createRedisOutcomePublisher(deps.redis, {
      ...(deps.namespace !== undefined ? { namespace: deps.namespace } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
      // A group this far behind keeps evt:chain growing (nothing it needs is trimmed): say so loudly.
      onGroupsBehind: ({ stream, groups }) =>
        deps.logger?.warn({ stream, groups }, "consumer groups have fallen behind; the stream is kept for them"),
    });
  const publish = signerMetrics ? signerMetrics.countOutcomes(basePublish) : basePublish;
  const timings =
    signerMetrics && deps.timings
      ? fanOutTimings(deps.timings, signerMetrics.stages)
      : (deps.timings ?? signerMetrics?.stages);
  const vault = createKeyVault({
    fork: deps.orm.fork,
    wrapper: deps.wrapper,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const enrollment = createEnrollmentService({ vault, enroller: deps.enroller, mspId: deps.mspId, publish });
  const store = createSignedTxStore(createSqlClient(deps.orm));
  const submission = createSubmissionService({
    chain: deps.chain,
    vault,
    store,
    publish,
    retry: deps.retry ?? defaultRetryPolicy,
    maxProposalSkewMs: deps.maxProposalSkewMs ?? DEFAULT_MAX_PROPOSAL_SKEW_MS,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(timings ? { timings } : {}),
  });
  const worker = createSignerWorker({
    redis: deps.redis,
    submission,
    enrollment,
    consumerName: deps.consumerName,
    commandKeys: deps.commandKeys,
    concurrency: deps.concurrency,
    ...(deps.group ? { group: deps.group } : {}),
    ...(deps.domains ? { domains: deps.domains } : {}),
    ...(deps.maxDeliveries !== undefined ? { maxDeliveries: deps.maxDeliveries } : {}),
    ...(deps.claimIdleMs !== undefined ? { claimIdleMs: deps.claimIdleMs } : {}),
    ...(deps.blockMs !== undefined ? { blockMs: deps.blockMs } : {}),
    ...(deps.namespace !== undefined ? { namespace: deps.namespace } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  return { vault, enrollment, submission, store, worker, dispose: () => worker.dispose() };
}
