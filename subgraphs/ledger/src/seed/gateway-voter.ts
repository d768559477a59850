import { DEMO_PASSWORD } from "./demo-seed.js";

type Voter = (email: string, ballotId: string, choice: "APPROVE" | "REJECT") => Promise<void>;

interface GqlReply {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GqlReply> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return (await res.json()) as GqlReply;
}

/**
 * Casts demo votes the way a member would: log in and call `castVote` through the gateway. Retries
 * NOT_FOUND for a while (the voting indexer opens the ballot a moment after the proposal commits).
 * @returns null when the gateway does not answer (the seed then skips the votes).
 */
export async function createGatewayVoter(url: string, say: (line: string) => void): Promise<Voter | null> {
  try {
    await post(url, "{ __typename }", {});
  } catch {
    say(`gateway at ${url} does not answer`);
    return null;
  }
  return async (email, ballotId, choice) => {
    const login = await post(
      url,
      'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p, deviceName: "seed") { accessToken } }',
      {
        e: email,
        p: DEMO_PASSWORD,
      },
    );
    const token = (login.data?.logIn as { accessToken?: string } | undefined)?.accessToken;
    if (!token) throw new Error(`log-in of ${email} failed: ${JSON.stringify(login.errors)}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const vote = await post(
        url,
        "mutation($b: ID!, $c: VoteChoice!) { castVote(ballotId: $b, choice: $c) { tx { txId } } }",
        { b: ballotId, c: choice },
        token,
      );
      if (!vote.errors) return;
      const code = vote.errors[0]?.extensions?.code;
      if ((code !== "NOT_FOUND" && code !== "CONFLICT") || Date.now() > deadline) {
        throw new Error(`vote of ${email} failed: ${JSON.stringify(vote.errors)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
}
