import { fileURLToPath } from "node:url";
import { loadConnectionProfile } from "@clearbook/client";
import { ConfigError, createOrm, createRedis, migrate } from "@clearbook/kit";
import { loadSignerEnv } from "../config.js";
import { enrollerFromEnv } from "../enrollment/enroller-from-env.js";
import { createEnrollmentService } from "../enrollment/enrollment.service.js";
import { signerEntities } from "../signer-entities.js";
import { createRedisOutcomePublisher } from "../submission/chain-outcome.js";
import { IdentityRecord } from "../vault/identity.entity.js";
import { createKeyVault } from "../vault/key-vault.js";
import { createLocalKeyWrapper } from "../vault/key-wrapper.js";
import { loadMasterKey } from "../vault/master-key.js";

// `npm run enroll-admin -w @clearbook/signer -- <userId>`: the only way to issue a platform admin's
// Fabric identity. No command stream can ask for one (decision 0361): an operator runs this on the
// signer's host, with the signer's environment. The identity is announced on `evt:chain` like any other.
const userId = process.argv[2];
if (!userId || process.argv.length > 3) {
  process.stderr.write("usage: enroll-admin <userId>\n");
  process.exit(2);
}

let env: ReturnType<typeof loadSignerEnv>;
try {
  env = loadSignerEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const masterKey = await loadMasterKey({
  base64: env.SIGNER_MASTER_KEY,
  file: env.SIGNER_MASTER_KEY_FILE,
  devFile: env.devMasterKeyFile,
});
const profile = await loadConnectionProfile(env.connectionProfilePath);
const orm = await createOrm({
  mysqlUrl: env.MYSQL_URL,
  dbName: env.SIGNER_DB,
  entities: [...signerEntities],
  migrationsPath: fileURLToPath(new URL("../../migrations", import.meta.url)),
});
const redis = await createRedis(env.REDIS_URL, "signer-enroll-admin");
try {
  await migrate(orm.orm);
  const existing = await orm.fork().findOne(IdentityRecord, { userId });
  if (existing && existing.role !== "admin") {
    process.stderr.write(`enroll-admin: ${userId} already holds a ${existing.role} identity; nothing changed\n`);
    process.exitCode = 1;
  } else {
    const enrollment = createEnrollmentService({
      vault: createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(masterKey) }),
      enroller: await enrollerFromEnv(env, profile),
      mspId: profile.mspId,
      publish: createRedisOutcomePublisher(redis.client, { namespace: env.SIGNER_STREAM_PREFIX }),
    });
    await enrollment.handle({ commandId: `enroll-admin:${userId}`, userId, role: "admin" });
    process.stdout.write(`enroll-admin: ${userId} holds an admin identity (announced on evt:chain)\n`);
  }
} finally {
  await redis.dispose();
  await orm.dispose();
}
