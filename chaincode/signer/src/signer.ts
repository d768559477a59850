import { type ChainClient, defaultRetryPolicy, type RetryPolicy } from "@clearbook/client";
import type { Clock, Logger, OrmHandle, Redis } from "@clearbook/kit";
import type { Enroller } from "./enrollment/enroller.js";
import { createEnrollmentService, type EnrollmentService } from "./enrollment/enrollment.service.js";
import { createSignerWorker, type SignerWorker } from "./signer-worker.js";
import { createRedisOutcomePublisher, type OutcomePublisher } from "./submission/chain-outcome.js";
import { createSignedTxStore } from "./submission/signed-tx.store.js";
import type { StageTimings } from "./submission/stage-timings.js";
import { createSubmissionService, type SubmissionService } from "./submission/submission.service.js";
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
  /** Key prefix for tests (`test:signer:`); production leaves it empty. */
  namespace?: string;
  /** Replaces the `evt:chain` publisher (tests, or the kit's appendEvent). */
  publish?: OutcomePublisher;
  clock?: Clock;
  logger?: Logger;
  /** Receives per-stage durations of every chain command. */
  timings?: StageTimings;
}

export interface Signer {
  vault: KeyVault;
  enrollment: EnrollmentService;
  submission: SubmissionService;
  worker: SignerWorker;
  /** Stops consuming; the ORM, Redis and chain connections belong to the caller. */
  dispose(): Promise<void>;
}

/** Wires the vault, enrollment, submission and the stream consumers; reads no environment. */
export function createSigner(deps: SignerDeps): Signer {
  const publish =
    deps.publish ??
    createRedisOutcomePublisher(deps.redis, {
      ...(deps.namespace !== undefined ? { namespace: deps.namespace } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
  const vault = createKeyVault({
    fork: deps.orm.fork,
    wrapper: deps.wrapper,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const enrollment = createEnrollmentService({ vault, enroller: deps.enroller, mspId: deps.mspId, publish });
  const submission = createSubmissionService({
    chain: deps.chain,
    vault,
    store: createSignedTxStore(deps.orm.fork),
    publish,
    retry: deps.retry ?? defaultRetryPolicy,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.timings ? { timings: deps.timings } : {}),
  });
  const worker = createSignerWorker({
    redis: deps.redis,
    submission,
    enrollment,
    consumerName: deps.consumerName,
    concurrency: deps.concurrency,
    ...(deps.group ? { group: deps.group } : {}),
    ...(deps.domains ? { domains: deps.domains } : {}),
    ...(deps.maxDeliveries !== undefined ? { maxDeliveries: deps.maxDeliveries } : {}),
    ...(deps.claimIdleMs !== undefined ? { claimIdleMs: deps.claimIdleMs } : {}),
    ...(deps.blockMs !== undefined ? { blockMs: deps.blockMs } : {}),
    ...(deps.namespace !== undefined ? { namespace: deps.namespace } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  return { vault, enrollment, submission, worker, dispose: () => worker.dispose() };
}
