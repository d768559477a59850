import type { OutcomePublisher } from "../submission/chain-outcome.js";
import type { KeyVault } from "../vault/key-vault.js";
import type { Enroller, EnrollRole } from "./enroller.js";

export interface EnrollmentService {
  /**
   * Gives the user a Fabric identity unless they have one, and stores its key in the vault.
   * @returns the user's certificate (the existing one for a user enrolled before).
   */
  enroll(request: { userId: string; role: EnrollRole }): Promise<{ certPem: string; mspId: string; created: boolean }>;
  /** Enrolls for a `cmd:signer` EnrollUser command and publishes `IdentityEnrolled` (also for a repeat). */
  handle(command: { commandId: string; userId: string; role: EnrollRole }): Promise<void>;
}

export function createEnrollmentService(options: {
  vault: KeyVault;
  enroller: Enroller;
  mspId: string;
  publish: OutcomePublisher;
}): EnrollmentService {
  const { vault, enroller, mspId, publish } = options;
  const enroll: EnrollmentService["enroll"] = async ({ userId, role }) => {
    const existing = await vault.certificate(userId);
    if (existing) return { ...existing, created: false };
    const issued = await enroller.enroll({ userId, role });
    return vault.store({ userId, mspId, role, certPem: issued.certPem, keyPem: issued.keyPem });
  };
  return {
    enroll,
    async handle(command) {
      const enrolled = await enroll(command);
      await publish({
        type: "IdentityEnrolled",
        data: {
          commandId: command.commandId,
          userId: command.userId,
          mspId: enrolled.mspId,
          role: command.role,
          certPem: enrolled.certPem,
        },
      });
    },
  };
}
