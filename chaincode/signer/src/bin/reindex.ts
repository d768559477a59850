import { fileURLToPath } from "node:url";
import { createLogger, createOrm, migrate } from "@clearbook/kit";
import { loadSignerEnv } from "../config.js";
import { signerEntities } from "../signer-entities.js";
import { OUTCOME_TRACKER } from "../submission/outcome-chain.js";

// `npm run reindex -w @clearbook/signer` (or `npm run reindex` at the root): the signer keeps no read
// model, only signed transactions and the blocks their outcomes came in. On another chain those
// belong to the old one: forget them and the recorded chain, so the outcome tracker adopts this one.
const env = loadSignerEnv();
const say = (line: string) => process.stdout.write(`reindex: signer: ${line}\n`);
const orm = await createOrm({
  mysqlUrl: env.MYSQL_URL,
  dbName: env.SIGNER_DB,
  entities: [...signerEntities],
  migrationsPath: fileURLToPath(new URL("../../migrations", import.meta.url)),
  logger: createLogger({ name: "signer-reindex", level: env.LOG_LEVEL }),
});
try {
  await migrate(orm.orm);
  const connection = orm.orm.em.fork().getConnection();
  const signed = (await connection.execute("delete from signed_tx", [], "run")) as { affectedRows?: number };
  await connection.execute("delete from chain_identity where name = ?", [OUTCOME_TRACKER], "run");
  say(`forgot ${signed.affectedRows ?? 0} signed transactions of the old chain; the next start adopts this chain`);
} catch (error) {
  process.stderr.write(`reindex: signer failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await orm.dispose();
}
