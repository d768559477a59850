import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCcaasPackage } from "@clearbook/contracts/ccaas";
import { parse, stringify } from "yaml";
import type { FabricBinaries, FabricTool } from "./binaries.js";
import { configtxYaml } from "./configtx.js";
import { createOrg, issueMember, type MemberCrypto, type OrgCrypto } from "./crypto.js";
import {
  freePorts,
  type NodeProcess,
  retrying,
  run,
  startProcess,
  stopProcess,
  waitForPort,
  writePids,
} from "./processes.js";

/** The repository root, from this file's location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** `quick`: one Raft orderer, one peer (tests). `ha`: three orderers, two organizations with a peer each. */
export type NetworkShape = "quick" | "ha";

export interface NetworkOptions {
  /** Everything the network writes (crypto, config, ledgers, logs): `<repo>/.data/fabric` by default. */
  dir: string;
  fabric: FabricBinaries;
  shape?: NetworkShape;
  /** The orderer cuts a block this long after its first transaction (default 250 ms)… */
  batchTimeoutMs?: number;
  /** …or at this many transactions (default 500). */
  maxMessageCount?: number;
  /** The peer's `peer.limits.concurrency.gatewayService` (Fabric's default 500). */
  gatewayConcurrencyLimit?: number;
  /** Processes outlive this one (`fabric:up`); otherwise `stop()` must be called. */
  detached?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

export const CHANNEL = "clearbook";
export const CHAINCODE = "clearbook";
const CLEARBOOK_MSP = "ClearbookMSP";

interface OrdererNode {
  name: string;
  port: number;
  adminPort: number;
  operationsPort: number;
  crypto: MemberCrypto;
}

interface PeerNode {
  name: string;
  org: OrgCrypto;
  admin: MemberCrypto;
  port: number;
  chaincodePort: number;
  operationsPort: number;
  crypto: MemberCrypto;
}

/** A running network. */
export interface FabricNetwork {
  dir: string;
  shape: NetworkShape;
  /** The client's connection profile (`FABRIC_CONNECTION_PROFILE`). */
  profilePath: string;
  processes: NodeProcess[];
  /** Stops one process by name (`orderer1`), e.g. to show the ordering service survives it. */
  kill(name: string): Promise<void>;
  /** Stops every process, newest first. */
  stop(): Promise<void>;
}

/**
 * Starts a local Fabric network from the release binaries, with no Docker: crypto material from the
 * project's CA code, a channel whose genesis block is joined through each orderer's channel
 * participation API and by each peer, the Clearbook chaincode installed, approved and committed as a
 * service, its server started, and a connection profile in the client's format.
 * @throws Error with the failing command's output when a step fails (what started is stopped again).
 */
export async function startNetwork(options: NetworkOptions): Promise<FabricNetwork> {
  const shape = options.shape ?? "quick";
  const log = options.log ?? (() => {});
  const detached = options.detached ?? false;
  const dir = resolve(options.dir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "logs"), { recursive: true });
  const bin = (tool: FabricTool) => join(options.fabric.binDir, tool);
  const processes: NodeProcess[] = [];
  const pidFile = join(dir, "pids.json");
  const stop = async () => {
    for (const p of [...processes].reverse()) await stopProcess(p.pid);
    processes.length = 0;
    await writePids(pidFile, processes);
  };

  try {
    const ordererCount = shape === "ha" ? 3 : 1;
    const orgNames = shape === "ha" ? [CLEARBOOK_MSP, "PartnerMSP"] : [CLEARBOOK_MSP];
    const ports = await freePorts(ordererCount * 3 + orgNames.length * 3 + 1);
    const nextPort = () => ports.shift() as number;

    log("crypto material");
    const crypto = join(dir, "crypto");
    const ordererOrg = await createOrg(join(crypto, "orderer-org"), "OrdererMSP");
    const ordererAdmin = await issueMember(ordererOrg, "orderer-admin", "msp-admin");
    const orderers: OrdererNode[] = [];
    for (let i = 0; i < ordererCount; i++) {
      const name = `orderer${i}`;
      orderers.push({
        name,
        port: nextPort(),
        adminPort: nextPort(),
        operationsPort: nextPort(),
        crypto: await issueMember(ordererOrg, name, "orderer"),
      });
    }
    const peers: PeerNode[] = [];
    for (const [i, mspId] of orgNames.entries()) {
      const org = await createOrg(join(crypto, mspId.toLowerCase()), mspId);
      peers.push({
        name: `peer${i}`,
        org,
        admin: await issueMember(org, `${mspId.toLowerCase()}-admin`, "msp-admin"),
        port: nextPort(),
        chaincodePort: nextPort(),
        operationsPort: nextPort(),
        crypto: await issueMember(org, `peer${i}`, "peer"),
      });
    }
    const clearbook = peers[0] as PeerNode;
    const platformAdmin = await issueMember(clearbook.org, "platform-admin", "admin");

    log("channel genesis block");
    const configDir = join(dir, "config");
    await mkdir(configDir, { recursive: true });
    await writeFile(
      join(configDir, "configtx.yaml"),
      configtxYaml({
        channel: CHANNEL,
        ordererOrg: { mspId: ordererOrg.mspId, mspDir: ordererOrg.mspDir },
        orderers: orderers.map((o) => ({ port: o.port, tlsCertPath: o.crypto.tls.certPath })),
        peerOrgs: peers.map((p) => ({ mspId: p.org.mspId, mspDir: p.org.mspDir, anchorPeers: [p.port] })),
        batchTimeoutMs: options.batchTimeoutMs ?? 250,
        maxMessageCount: options.maxMessageCount ?? 500,
      }),
    );
    // The peer's core.yaml, derived from the release's: the ccaas builder, and no Docker.
    const core = parse(await readFile(join(options.fabric.configDir, "core.yaml"), "utf8")) as {
      chaincode: { externalBuilders: unknown[] };
      vm: { endpoint: string };
    };
    core.chaincode.externalBuilders = [
      {
        name: "ccaas",
        path: join(repoRoot, "ops", "fabric", "builder"),
        propagateEnvironment: ["CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"],
      },
    ];
    core.vm.endpoint = "";
    await writeFile(join(configDir, "core.yaml"), stringify(core));
    const genesis = join(dir, `${CHANNEL}.block`);
    const baseEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir };
    await run(
      bin("configtxgen"),
      ["-configPath", configDir, "-profile", "Channel", "-channelID", CHANNEL, "-outputBlock", genesis],
      { ...baseEnv, FABRIC_CFG_PATH: configDir },
    );

    const ordererCa = ordererOrg.caCertPath;
    for (const o of orderers) {
      log(`${o.name} on 127.0.0.1:${o.port}`);
      const data = join(dir, o.name);
      const list = (paths: string[]) => `[${paths.join(",")}]`;
      processes.push(
        startProcess(o.name, bin("orderer"), [], {
          detached,
          log: join(dir, "logs", `${o.name}.log`),
          env: {
            ...baseEnv,
            FABRIC_CFG_PATH: options.fabric.configDir,
            FABRIC_LOGGING_SPEC: "warning",
            ORDERER_GENERAL_LISTENADDRESS: "127.0.0.1",
            ORDERER_GENERAL_LISTENPORT: String(o.port),
            ORDERER_GENERAL_LOCALMSPID: ordererOrg.mspId,
            ORDERER_GENERAL_LOCALMSPDIR: o.crypto.mspDir,
            ORDERER_GENERAL_TLS_ENABLED: "true",
            ORDERER_GENERAL_TLS_CERTIFICATE: o.crypto.tls.certPath,
            ORDERER_GENERAL_TLS_PRIVATEKEY: o.crypto.tls.keyPath,
            ORDERER_GENERAL_TLS_ROOTCAS: list([ordererCa]),
            ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: o.crypto.tls.certPath,
            ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: o.crypto.tls.keyPath,
            ORDERER_GENERAL_CLUSTER_ROOTCAS: list([ordererCa]),
            ORDERER_GENERAL_BOOTSTRAPMETHOD: "none",
            ORDERER_CHANNELPARTICIPATION_ENABLED: "true",
            ORDERER_ADMIN_LISTENADDRESS: `127.0.0.1:${o.adminPort}`,
            ORDERER_ADMIN_TLS_ENABLED: "true",
            ORDERER_ADMIN_TLS_CERTIFICATE: o.crypto.tls.certPath,
            ORDERER_ADMIN_TLS_PRIVATEKEY: o.crypto.tls.keyPath,
            ORDERER_ADMIN_TLS_ROOTCAS: list([ordererCa]),
            ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: "true",
            ORDERER_ADMIN_TLS_CLIENTROOTCAS: list([ordererCa]),
            ORDERER_FILELEDGER_LOCATION: join(data, "ledger"),
            ORDERER_CONSENSUS_WALDIR: join(data, "etcdraft", "wal"),
            ORDERER_CONSENSUS_SNAPDIR: join(data, "etcdraft", "snapshot"),
            ORDERER_OPERATIONS_LISTENADDRESS: `127.0.0.1:${o.operationsPort}`,
            ORDERER_METRICS_PROVIDER: "disabled",
          },
        }),
      );
    }
    await writePids(pidFile, processes);

    const peerEnv = (p: PeerNode, identity: MemberCrypto) => ({
      ...baseEnv,
      FABRIC_CFG_PATH: configDir,
      FABRIC_LOGGING_SPEC: "warning",
      CORE_PEER_ID: p.name,
      CORE_PEER_ADDRESS: `127.0.0.1:${p.port}`,
      CORE_PEER_LOCALMSPID: p.org.mspId,
      CORE_PEER_MSPCONFIGPATH: identity.mspDir,
      CORE_PEER_TLS_ENABLED: "true",
      CORE_PEER_TLS_ROOTCERT_FILE: p.org.caCertPath,
    });
    for (const p of peers) {
      log(`${p.name} (${p.org.mspId}) on 127.0.0.1:${p.port}`);
      processes.push(
        startProcess(p.name, bin("peer"), ["node", "start"], {
          detached,
          log: join(dir, "logs", `${p.name}.log`),
          env: {
            ...peerEnv(p, p.crypto),
            CORE_PEER_LISTENADDRESS: `127.0.0.1:${p.port}`,
            CORE_PEER_CHAINCODEADDRESS: `127.0.0.1:${p.chaincodePort}`,
            CORE_PEER_CHAINCODELISTENADDRESS: `127.0.0.1:${p.chaincodePort}`,
            CORE_PEER_GOSSIP_BOOTSTRAP: `127.0.0.1:${p.port}`,
            CORE_PEER_GOSSIP_EXTERNALENDPOINT: `127.0.0.1:${p.port}`,
            CORE_PEER_TLS_CERT_FILE: p.crypto.tls.certPath,
            CORE_PEER_TLS_KEY_FILE: p.crypto.tls.keyPath,
            CORE_PEER_FILESYSTEMPATH: join(dir, p.name, "data"),
            CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(dir, p.name, "snapshots"),
            CORE_OPERATIONS_LISTENADDRESS: `127.0.0.1:${p.operationsPort}`,
            CORE_METRICS_PROVIDER: "disabled",
            CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE: String(options.gatewayConcurrencyLimit ?? 500),
          },
        }),
      );
    }
    await writePids(pidFile, processes);

    log("orderers join the channel (osnadmin)");
    for (const o of orderers) {
      await waitForPort(o.adminPort, 30_000, o.name);
      await retrying(30_000, () =>
        run(
          bin("osnadmin"),
          [
            "channel",
            "join",
            "--channelID",
            CHANNEL,
            "--config-block",
            genesis,
            "-o",
            `127.0.0.1:${o.adminPort}`,
            "--ca-file",
            ordererCa,
            "--client-cert",
            ordererAdmin.tls.certPath,
            "--client-key",
            ordererAdmin.tls.keyPath,
          ],
          baseEnv,
        ),
      );
    }

    const orderer0 = orderers[0] as OrdererNode;
    const ordererArgs = ["-o", `127.0.0.1:${orderer0.port}`, "--tls", "--cafile", ordererCa];
    log("peers join the channel");
    for (const p of peers) {
      await waitForPort(p.port, 30_000, p.name);
      await retrying(30_000, () => run(bin("peer"), ["channel", "join", "-b", genesis], peerEnv(p, p.admin)));
    }

    log("chaincode as a service: package, install, approve, commit");
    const chaincodePort = nextPort();
    const { version } = JSON.parse(
      await readFile(join(repoRoot, "chaincode", "contracts", "package.json"), "utf8"),
    ) as { version: string };
    const pkg = buildCcaasPackage({ label: `${CHAINCODE}_${version}`, address: `127.0.0.1:${chaincodePort}` });
    const pkgPath = join(dir, `${pkg.label}.tgz`);
    await writeFile(pkgPath, pkg.tgz);
    processes.push(
      startProcess(
        "chaincode",
        process.execPath,
        [
          chaincodeServerBin(),
          "server",
          `--chaincode-address=127.0.0.1:${chaincodePort}`,
          `--chaincode-id=${pkg.packageId}`,
        ],
        {
          detached,
          cwd: join(repoRoot, "chaincode", "contracts"),
          log: join(dir, "logs", "chaincode.log"),
          env: {
            ...baseEnv,
            CORE_CHAINCODE_LOGGING_LEVEL: "WARNING",
          },
        },
      ),
    );
    await writePids(pidFile, processes);
    for (const p of peers) {
      await run(bin("peer"), ["lifecycle", "chaincode", "install", pkgPath], peerEnv(p, p.admin));
    }
    const definition = ["--channelID", CHANNEL, "--name", CHAINCODE, "--version", version, "--sequence", "1"];
    for (const p of peers) {
      await retrying(30_000, () =>
        run(
          bin("peer"),
          ["lifecycle", "chaincode", "approveformyorg", ...ordererArgs, ...definition, "--package-id", pkg.packageId],
          peerEnv(p, p.admin),
        ),
      );
    }
    await retrying(30_000, () =>
      run(
        bin("peer"),
        [
          "lifecycle",
          "chaincode",
          "commit",
          ...ordererArgs,
          ...definition,
          ...peers.flatMap((p) => ["--peerAddresses", `127.0.0.1:${p.port}`, "--tlsRootCertFiles", p.org.caCertPath]),
        ],
        peerEnv(clearbook, clearbook.admin),
      ),
    );

    const profilePath = join(dir, "connection.json");
    const profile = {
      // The certificates name localhost too: TLS then sends a server name (Node warns for a bare IP).
      endpoints: [{ address: `127.0.0.1:${clearbook.port}`, tlsHostnameOverride: "localhost" }],
      tls: true,
      tlsRootCertPath: clearbook.org.caCertPath,
      channel: CHANNEL,
      chaincode: CHAINCODE,
      mspId: clearbook.org.mspId,
      admin: { certPath: platformAdmin.certPath, keyPath: platformAdmin.keyPath },
      ca: { certPath: clearbook.org.caCertPath, keyPath: clearbook.org.caKeyPath },
    };
    await writeFile(profilePath, `${JSON.stringify(profile, null, 2)}\n`);
    await writeFile(
      join(dir, "network.json"),
      `${JSON.stringify(
        {
          shape,
          orderers: orderers.map((o) => ({ name: o.name, port: o.port, adminPort: o.adminPort })),
          peers: peers.map((p) => ({ name: p.name, mspId: p.org.mspId, port: p.port })),
          chaincode: { address: `127.0.0.1:${chaincodePort}`, packageId: pkg.packageId },
          batchTimeoutMs: options.batchTimeoutMs ?? 250,
          maxMessageCount: options.maxMessageCount ?? 500,
        },
        null,
        2,
      )}\n`,
    );
    return {
      dir,
      shape,
      profilePath,
      processes,
      async kill(name) {
        const index = processes.findIndex((p) => p.name === name);
        const [victim] = index >= 0 ? processes.splice(index, 1) : [];
        if (victim) await stopProcess(victim.pid);
        await writePids(pidFile, processes);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `startNetwork`, tried again (up to `attempts` times) when a start fails: ports are picked free but
 * released before the nodes bind them, so a network starting at the same moment can take one.
 */
export async function startNetworkRetrying(options: NetworkOptions, attempts = 3): Promise<FabricNetwork> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNetwork(options);
    } catch (error) {
      if (attempt >= attempts) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      options.log?.(`start failed (${reason.split("\n")[0]}); trying again`);
    }
  }
}

/** fabric-chaincode-node's CLI, as `npm run serve -w @clearbook/contracts` runs it. */
function chaincodeServerBin(): string {
  return join(repoRoot, "node_modules", "fabric-shim", "cli.js");
}
