/** The steps of one chain command, in order, for "where does the time go". */
export const SubmissionStage = {
  /** Reading the command's `signed_tx` row and decrypting the user's key. */
  LOAD: "load",
  /** Signing the proposal, endorsement on the peer, signing the transaction. */
  ENDORSE: "endorse",
  /** Writing the signed envelope to `signed_tx` before it is sent. */
  RECORD: "record",
  /** Submit to the orderer and wait for the commit status (block cutting and validation). */
  COMMIT: "commit",
  /** Writing the outcome to `signed_tx` and appending it to `evt:chain`. */
  FINISH: "finish",
} as const;
export type SubmissionStage = (typeof SubmissionStage)[keyof typeof SubmissionStage];

export interface StageSummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Collects stage durations in memory; `take()` summarises and starts a new window. */
export interface StageTimings {
  observe(stage: SubmissionStage, ms: number): void;
  take(): Partial<Record<SubmissionStage, StageSummary>>;
}

export function createStageTimings(maxSamplesPerStage = 20_000): StageTimings {
  let samples = new Map<SubmissionStage, number[]>();
  return {
    observe(stage, ms) {
      const list = samples.get(stage) ?? [];
      if (list.length < maxSamplesPerStage) list.push(ms);
      samples.set(stage, list);
    },
    take() {
      const window = samples;
      samples = new Map();
      const summary: Partial<Record<SubmissionStage, StageSummary>> = {};
      for (const [stage, list] of window) {
        list.sort((a, b) => a - b);
        const at = (p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))] ?? 0;
        const round = (n: number) => Math.round(n * 10) / 10;
        summary[stage] = {
          count: list.length,
          meanMs: round(list.reduce((a, b) => a + b, 0) / list.length),
          p50Ms: round(at(0.5)),
          p99Ms: round(at(0.99)),
        };
      }
      return summary;
    },
  };
}
