import {
  type Clock,
  createSqlClient,
  createSubgraphServer,
  type Logger,
  type OrmHandle,
  type ReadinessCheck,
  type ServiceMetrics,
  type SubgraphServer,
} from "@clearbook/kit";
import type { VotingCommands } from "./chain/voting-commands.js";
import { createRequestContext, type VotingContext } from "./graphql/context.js";
import { buildVotingSchema } from "./graphql/schema.js";
import { createVoteService } from "./votes/vote.service.js";

/** The voting subgraph's name in the supergraph: viewer headers must be signed for it (and for the body). */
export const VOTING_AUDIENCE = "voting";

export interface VotingApiOptions {
  port: number;
  host?: string;
  /** The HMAC secret of the gateway's viewer header. */
  internalSecret: string;
  development: boolean;
}

export interface VotingApiDeps {
  orm: OrmHandle;
  commands: VotingCommands;
  clock: Clock;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** Called after a request committed a new chain command (the outbox relay is kicked). */
  onCommandRecorded?(): void;
  /** More `/ready` checks (the indexer's chain check). */
  readiness?: ReadinessCheck[];
}

/** Builds the voting subgraph's HTTP server (GraphQL, probes). Reads no environment; `listen()` starts it. */
export async function createVotingApi(options: VotingApiOptions, deps: VotingApiDeps): Promise<SubgraphServer> {
  const votes = createVoteService({
    sql: createSqlClient(deps.orm),
    commands: deps.commands,
    clock: deps.clock,
    ...(deps.onCommandRecorded ? { onCommandRecorded: deps.onCommandRecorded } : {}),
  });
  return createSubgraphServer<VotingContext>({
    schema: await buildVotingSchema(),
    port: options.port,
    host: options.host ?? "127.0.0.1",
    internalSecret: options.internalSecret,
    audience: VOTING_AUDIENCE,
    logger: deps.logger,
    clock: deps.clock,
    development: options.development,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    readiness: [
      {
        name: "mysql",
        check: async () => {
          if (!(await deps.orm.isReady())) throw new Error("the database does not answer");
        },
      },
      ...(deps.readiness ?? []),
    ],
    context: (viewer) => createRequestContext(viewer, { votes, clock: deps.clock, fork: () => deps.orm.fork() }),
  });
}
