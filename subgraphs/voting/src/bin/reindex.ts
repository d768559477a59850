import { createChainClient, loadConnectionProfile } from "@clearbook/client";
import { createLogger, createRedis, loadConfig } from "@clearbook/kit";
import { connectionProfilePath, votingEnvSchema } from "../config.js";
import { createVotingOrm } from "../db/database.js";
import { reindexVoting } from "../indexer/reindex.js";
import { readerIdentity } from "../service.js";

// `npm run reindex -w @clearbook/voting` (or `npm run reindex` at the root): rebuilds the voting
// read models from block 0 of the chain the connection profile names.
const env = loadConfig(votingEnvSchema);
const say = (line: string) => process.stdout.write(`reindex: ${line}\n`);
const logger = createLogger({ name: "voting-reindex", level: env.LOG_LEVEL });
const profile = await loadConnectionProfile(connectionProfilePath(env));
const orm = await createVotingOrm({ mysqlUrl: env.MYSQL_URL, dbName: env.VOTING_DB_NAME, logger });
const redis = await createRedis(env.REDIS_URL, "voting-reindex");
const chain = createChainClient({ profile, reader: await readerIdentity(env, profile) });
try {
  await reindexVoting({ orm, redis: redis.client, chain, logger, namespace: env.VOTING_STREAM_PREFIX, say });
} catch (error) {
  process.stderr.write(`reindex: voting failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  chain.dispose();
  await redis.dispose();
  await orm.dispose();
}
