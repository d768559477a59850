import * as assert from "uvu/assert";
import type { ChainErrorCode } from "../../src/api.js";
import { TestIdentities, type TestIdentity } from "./identities.js";
import { ChainCallError, TestChain } from "./test-chain.js";

/** Identities are costly to issue (key generation); one dev CA per test file is enough. */
export const ids = new TestIdentities();

export const SHA_A = "a".repeat(64);
export const SHA_B = "b".repeat(64);

/** Awaits a call that must be refused with `code`; returns the message for further checks. */
export async function refused(call: Promise<unknown>, code: ChainErrorCode): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ChainCallError)) throw error;
    assert.is(error.code, code, error.message);
    return error.message;
  }
  assert.unreachable(`expected a ${code} refusal, the call succeeded`);
  return "";
}

export interface OrgFixture {
  chain: TestChain;
  orgId: string;
  admin: TestIdentity;
  founder: TestIdentity;
  members: TestIdentity[];
}

/** A fresh chain with one organization: its founder (council) and `memberCount` approved members. */
export async function orgWithMembers(memberCount: number, orgId = "org-1"): Promise<OrgFixture> {
  const chain = new TestChain();
  const admin = await ids.admin();
  const founder = await ids.user("founder");
  await chain.submit(admin, "org:CreateOrganization", orgId, "Student Council", "founder");
  const members: TestIdentity[] = [];
  for (let i = 0; i < memberCount; i++) {
    const member = await ids.user(`member-${i}`);
    await chain.submit(member, "org:RequestMembership", `req-${orgId}-${i}`, orgId);
    await chain.submit(founder, "org:ApproveMembership", `req-${orgId}-${i}`);
    members.push(member);
  }
  return { chain, orgId, admin, founder, members };
}
