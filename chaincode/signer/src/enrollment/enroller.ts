/** Roles a Clearbook identity can carry in its `clearbook.role` attribute. */
export const EnrollRole = { ADMIN: "admin", USER: "user", SERVICE: "service" } as const;
export type EnrollRole = (typeof EnrollRole)[keyof typeof EnrollRole];

export function isEnrollRole(value: unknown): value is EnrollRole {
  return value === "admin" || value === "user" || value === "service";
}

/** A fresh key pair and the certificate a CA issued for it. */
export interface Enrollment {
  certPem: string;
  keyPem: string;
}

/**
 * Gets a certificate for a new user carrying `clearbook.userId` and `clearbook.role`. The dev CA
 * signs locally; a Fabric CA adapter registers and enrolls over its REST API.
 */
export interface Enroller {
  enroll(request: { userId: string; role: EnrollRole }): Promise<Enrollment>;
}
