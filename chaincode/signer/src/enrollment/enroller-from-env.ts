import { readFile } from "node:fs/promises";
import type { ConnectionProfile } from "@clearbook/client";
import type { loadSignerEnv } from "../config.js";
import { createDevCaEnroller } from "./dev-ca.enroller.js";
import type { Enroller } from "./enroller.js";
import { createFabricCaEnroller } from "./fabric-ca.enroller.js";

/**
 * The enroller `SIGNER_ENROLLER` names: a Fabric CA, or the connection profile's dev CA.
 * @throws Error when the dev CA is wanted and the profile has none.
 */
export async function enrollerFromEnv(
  env: ReturnType<typeof loadSignerEnv>,
  profile: ConnectionProfile,
): Promise<Enroller> {
  if (env.SIGNER_ENROLLER === "fabric-ca") {
    return createFabricCaEnroller({
      url: env.FABRIC_CA_URL ?? "",
      ...(env.FABRIC_CA_NAME ? { caName: env.FABRIC_CA_NAME } : {}),
      registrar: {
        certPem: await readFile(env.FABRIC_CA_REGISTRAR_CERT_PATH ?? "", "utf8"),
        keyPem: await readFile(env.FABRIC_CA_REGISTRAR_KEY_PATH ?? "", "utf8"),
      },
    });
  }
  if (!profile.ca) throw new Error(`${env.connectionProfilePath} has no dev CA; set SIGNER_ENROLLER=fabric-ca`);
  return createDevCaEnroller({
    caCertPem: await readFile(profile.ca.certPath, "utf8"),
    caKeyPem: await readFile(profile.ca.keyPath, "utf8"),
  });
}
