/** What the channel's genesis block says: organizations, orderers (Raft consenters) and batching. */
export interface ChannelPlan {
  channel: string;
  ordererOrg: { mspId: string; mspDir: string };
  orderers: { port: number; tlsCertPath: string }[];
  peerOrgs: { mspId: string; mspDir: string; anchorPeers: number[] }[];
  batchTimeoutMs: number;
  maxMessageCount: number;
}

const q = (value: string) => JSON.stringify(value);

/**
 * A `configtx.yaml` with one profile, `Channel`: Fabric 2.5 capabilities, an etcdraft ordering service,
 * NodeOU-based policies, and the lifecycle and chaincode endorsement policies set to MAJORITY of the
 * organizations (so with two organizations, both endorse).
 */
export function configtxYaml(plan: ChannelPlan): string {
  const org = (mspId: string, mspDir: string, extra: string[]) =>
    [
      `  - &${mspId}`,
      `    Name: ${mspId}`,
      `    ID: ${mspId}`,
      `    MSPDir: ${q(mspDir)}`,
      "    Policies:",
      "      Readers:",
      "        Type: Signature",
      `        Rule: "OR('${mspId}.admin', '${mspId}.peer', '${mspId}.client', '${mspId}.orderer')"`,
      "      Writers:",
      "        Type: Signature",
      `        Rule: "OR('${mspId}.admin', '${mspId}.client', '${mspId}.orderer')"`,
      "      Admins:",
      "        Type: Signature",
      `        Rule: "OR('${mspId}.admin')"`,
      "      Endorsement:",
      "        Type: Signature",
      `        Rule: "OR('${mspId}.peer')"`,
      ...extra,
    ].join("\n");
  const ordererEndpoints = ["    OrdererEndpoints:", ...plan.orderers.map((o) => `      - 127.0.0.1:${o.port}`)];
  const orgs = [
    org(plan.ordererOrg.mspId, plan.ordererOrg.mspDir, ordererEndpoints),
    ...plan.peerOrgs.map((p) =>
      org(p.mspId, p.mspDir, [
        "    AnchorPeers:",
        ...p.anchorPeers.flatMap((port) => ["      - Host: 127.0.0.1", `        Port: ${port}`]),
      ]),
    ),
  ];
  const consenters = plan.orderers.flatMap((o) => [
    "        - Host: 127.0.0.1",
    `          Port: ${o.port}`,
    `          ClientTLSCert: ${q(o.tlsCertPath)}`,
    `          ServerTLSCert: ${q(o.tlsCertPath)}`,
  ]);
  const implicit = (indent: string, extra: string[] = []) =>
    [
      `${indent}Readers:`,
      `${indent}  Type: ImplicitMeta`,
      `${indent}  Rule: "ANY Readers"`,
      `${indent}Writers:`,
      `${indent}  Type: ImplicitMeta`,
      `${indent}  Rule: "ANY Writers"`,
      `${indent}Admins:`,
      `${indent}  Type: ImplicitMeta`,
      `${indent}  Rule: "MAJORITY Admins"`,
      ...extra,
    ].join("\n");
  return `# Written by ops/fabric for one local network; regenerated on every \`fabric:up\`.
Organizations:
${orgs.join("\n")}

Capabilities:
  Channel: &ChannelCapabilities
    V2_0: true
  Orderer: &OrdererCapabilities
    V2_0: true
  Application: &ApplicationCapabilities
    V2_5: true

Application: &ApplicationDefaults
  Organizations:
  Policies:
${implicit("    ", [
  "    LifecycleEndorsement:",
  "      Type: ImplicitMeta",
  '      Rule: "MAJORITY Endorsement"',
  "    Endorsement:",
  "      Type: ImplicitMeta",
  '      Rule: "MAJORITY Endorsement"',
])}
  Capabilities:
    <<: *ApplicationCapabilities

Orderer: &OrdererDefaults
  OrdererType: etcdraft
  BatchTimeout: ${plan.batchTimeoutMs}ms
  BatchSize:
    MaxMessageCount: ${plan.maxMessageCount}
    AbsoluteMaxBytes: 99 MB
    PreferredMaxBytes: 2 MB
  EtcdRaft:
    Consenters:
${consenters.join("\n")}
  Organizations:
  Policies:
${implicit("    ", ["    BlockValidation:", "      Type: ImplicitMeta", '      Rule: "ANY Writers"'])}

Channel: &ChannelDefaults
  Policies:
${implicit("    ")}
  Capabilities:
    <<: *ChannelCapabilities

Profiles:
  Channel:
    <<: *ChannelDefaults
    Orderer:
      <<: *OrdererDefaults
      Organizations:
        - *${plan.ordererOrg.mspId}
      Capabilities: *OrdererCapabilities
    Application:
      <<: *ApplicationDefaults
      Organizations:
${plan.peerOrgs.map((p) => `        - *${p.mspId}`).join("\n")}
      Capabilities: *ApplicationCapabilities
`;
}
