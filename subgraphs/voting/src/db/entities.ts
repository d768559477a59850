import { ChainCheckpoint, ChainIdentityRecord } from "@clearbook/client";
import { Ballot } from "./ballot.entity.js";
import { BallotVoter } from "./ballot-voter.entity.js";
import { MemberIdentity } from "./member-identity.entity.js";
import { OrgMember } from "./org-member.entity.js";
import { Vote } from "./vote.entity.js";

/** Every table of the voting database besides the kit's own (outbox, processed commands). */
export const votingEntities = [
  Ballot,
  BallotVoter,
  Vote,
  OrgMember,
  MemberIdentity,
  ChainCheckpoint,
  ChainIdentityRecord,
] as const;
