import { errors as joseErrors } from "jose";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createLoginThrottle } from "../src/auth/login-throttle.js";
import { createSessionService, type SessionService } from "../src/auth/session.service.js";
import { createTokenKeys, generatePrivateJwk, type TokenKeys } from "../src/auth/token-keys.js";
import { createTestDatabase, createTestRedis, newClock, RecordingChain } from "./helpers.js";

interface Ctx {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  redis: Awaited<ReturnType<typeof createTestRedis>>;
  clock: ReturnType<typeof newClock>;
  keys: TokenKeys;
  chain: RecordingChain;
  sessions: SessionService;
}

const test = suite<Ctx>("session service");

test.before(async (ctx) => {
  ctx.db = await createTestDatabase("session");
  ctx.redis = await createTestRedis("session");
  ctx.clock = newClock();
  ctx.keys = await createTokenKeys(await generatePrivateJwk());
  ctx.chain = new RecordingChain();
  ctx.sessions = createSessionService({
    clock: ctx.clock,
    keys: ctx.keys,
    chain: ctx.chain,
    throttle: createLoginThrottle({
      redis: ctx.redis.client,
      prefix: ctx.redis.prefix,
      maxPerAccount: 3,
      maxPerIp: 5,
      windowSeconds: 60,
    }),
    accessTtlSeconds: 900,
    refreshTtlDays: 30,
  });
});

test.after(async (ctx) => {
  await ctx.db.dispose();
  await ctx.redis.dispose();
});

async function rejects(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    assert.is((error as { code?: string }).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test("signs up, enrolls the Fabric identity and issues a verifiable ES256 access token", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  const session = await ctx.sessions.signUp(em, {
    email: "Ada@Example.org",
    password: "correct horse",
    displayName: "Ada",
  });
  assert.is(session.user.email, "ada@example.org");
  assert.ok(session.user.passwordHash.startsWith("$argon2id$"));
  assert.equal(ctx.chain.enrolled, [session.user.id]);
  const claims = await ctx.keys.verifyAccessToken(session.accessToken, ctx.clock.now());
  assert.is(claims.sub, session.user.id);
  assert.equal(claims.roles, []);
});

test("a platform admin's sign-up asks no stream for an identity (an operator issues admin identities)", async (ctx) => {
  const before = [...ctx.chain.enrolled];
  const admin = await ctx.sessions.signUp(
    ctx.db.orm.em.fork(),
    { email: "root@example.org", password: "correct horse", displayName: "Root" },
    "seed",
    ["ADMIN"],
  );
  assert.equal(ctx.chain.enrolled, before, "no enrollment command for the admin");
  assert.equal((await ctx.keys.verifyAccessToken(admin.accessToken, ctx.clock.now())).roles, ["ADMIN"]);
});

test("refuses a second account with the same email, a malformed email and a short password", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  await rejects(
    ctx.sessions.signUp(em, { email: "ada@example.org", password: "another pass", displayName: "A" }),
    "CONFLICT",
  );
  await rejects(
    ctx.sessions.signUp(em, { email: "nope", password: "long enough!", displayName: "A" }),
    "BAD_USER_INPUT",
  );
  await rejects(
    ctx.sessions.signUp(em, { email: "b@example.org", password: "short", displayName: "B" }),
    "BAD_USER_INPUT",
  );
});

test("logs in with the right password and refuses a wrong one", async (ctx) => {
  const session = await ctx.sessions.logIn(
    ctx.db.orm.em.fork(),
    { email: "ada@example.org", password: "correct horse", deviceName: "phone" },
    "10.0.0.1",
  );
  assert.ok(session.refreshToken.length > 40);
  await rejects(
    ctx.sessions.logIn(ctx.db.orm.em.fork(), { email: "ada@example.org", password: "wrong" }, "10.0.0.1"),
    "UNAUTHENTICATED",
  );
});

test("rotates the refresh token on every use", async (ctx) => {
  const first = await ctx.sessions.logIn(
    ctx.db.orm.em.fork(),
    { email: "ada@example.org", password: "correct horse" },
    null,
  );
  const second = await ctx.sessions.refresh(ctx.db.orm.em.fork(), first.refreshToken);
  assert.is.not(second.refreshToken, first.refreshToken);
  const third = await ctx.sessions.refresh(ctx.db.orm.em.fork(), second.refreshToken);
  assert.ok(third.accessToken);
});

test("revokes the device's whole family when an old refresh token is reused", async (ctx) => {
  const first = await ctx.sessions.logIn(
    ctx.db.orm.em.fork(),
    { email: "ada@example.org", password: "correct horse" },
    null,
  );
  const other = await ctx.sessions.logIn(
    ctx.db.orm.em.fork(),
    { email: "ada@example.org", password: "correct horse" },
    null,
  );
  const second = await ctx.sessions.refresh(ctx.db.orm.em.fork(), first.refreshToken);
  await rejects(ctx.sessions.refresh(ctx.db.orm.em.fork(), first.refreshToken), "UNAUTHENTICATED");
  // The thief's rotation is dead too…
  await rejects(ctx.sessions.refresh(ctx.db.orm.em.fork(), second.refreshToken), "UNAUTHENTICATED");
  // …but another device of the same user is untouched.
  assert.ok(await ctx.sessions.refresh(ctx.db.orm.em.fork(), other.refreshToken));
});

test("refuses an expired refresh token", async (ctx) => {
  const session = await ctx.sessions.logIn(
    ctx.db.orm.em.fork(),
    { email: "ada@example.org", password: "correct horse" },
    null,
  );
  ctx.clock.advance(31 * 86_400_000);
  await rejects(ctx.sessions.refresh(ctx.db.orm.em.fork(), session.refreshToken), "UNAUTHENTICATED");
  ctx.clock.advance(-31 * 86_400_000);
});

test("logs out one device, or every device", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  const a = await ctx.sessions.logIn(em, { email: "ada@example.org", password: "correct horse" }, null);
  const b = await ctx.sessions.logIn(
    ctx.db.orm.em.fork(),
    { email: "ada@example.org", password: "correct horse" },
    null,
  );
  const claims = await ctx.keys.verifyAccessToken(a.accessToken, ctx.clock.now());
  assert.ok(await ctx.sessions.logOut(ctx.db.orm.em.fork(), a.user.id, { allDevices: false, familyId: claims.sid }));
  await rejects(ctx.sessions.refresh(ctx.db.orm.em.fork(), a.refreshToken), "UNAUTHENTICATED");
  const b2 = await ctx.sessions.refresh(ctx.db.orm.em.fork(), b.refreshToken);
  assert.ok(await ctx.sessions.logOut(ctx.db.orm.em.fork(), a.user.id, { allDevices: true }));
  await rejects(ctx.sessions.refresh(ctx.db.orm.em.fork(), b2.refreshToken), "UNAUTHENTICATED");
});

test("50 concurrent wrong passwords: only the free attempts are verified, the rest wait", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  await ctx.sessions.signUp(em, { email: "bob@example.org", password: "bobs password", displayName: "Bob" });
  const outcomes = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      ctx.sessions.logIn(ctx.db.orm.em.fork(), { email: "bob@example.org", password: `guess ${i}` }, "10.1.0.1").then(
        () => "OK",
        (error: { code?: string }) => error.code,
      ),
    ),
  );
  const count = (code: string) => outcomes.filter((o) => o === code).length;
  assert.is(count("UNAUTHENTICATED"), 3, "as many guesses verified as the free attempts");
  assert.is(count("RATE_LIMITED"), 47);
  await rejects(
    ctx.sessions.logIn(em, { email: "bob@example.org", password: "bobs password" }, "10.1.0.1"),
    "RATE_LIMITED",
  );
});

test("a guessing IP never locks the account for its owner elsewhere", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  for (let i = 0; i < 6; i++) {
    await ctx.sessions.logIn(em, { email: "bob@example.org", password: "guess" }, "10.1.1.1").catch(() => null);
  }
  assert.ok(await ctx.sessions.logIn(em, { email: "bob@example.org", password: "bobs password" }, "10.9.9.9"));
});

test("the wait after the free attempts grows with each failure", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  const retryAfter = async (ip: string) => {
    try {
      await ctx.sessions.logIn(em, { email: "bob@example.org", password: "guess" }, ip);
    } catch (error) {
      return Number((error as { details?: { retryAfterSeconds?: number } }).details?.retryAfterSeconds ?? 0);
    }
    return -1;
  };
  for (let i = 0; i < 3; i++) assert.is(await retryAfter("10.1.2.1"), 0);
  const first = await retryAfter("10.1.2.1");
  assert.ok(first >= 1 && first <= 2, `first wait ${first}s`);
  // Expire the wait by hand (no sleeping), then fail once more: the next wait doubles.
  await ctx.redis.client.del(`${ctx.redis.prefix}pair:bob@example.org|10.1.2.1:wait`);
  assert.is(await retryAfter("10.1.2.1"), 0);
  const second = await retryAfter("10.1.2.1");
  assert.ok(second >= 3 && second <= 4, `second wait ${second}s`);
});

test("blocks an IP that sprays many accounts", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  for (let i = 0; i < 5; i++) {
    await rejects(
      ctx.sessions.logIn(em, { email: `x${i}@example.org`, password: "guess" }, "10.2.0.1"),
      "UNAUTHENTICATED",
    );
  }
  await rejects(
    ctx.sessions.logIn(em, { email: "ada@example.org", password: "correct horse" }, "10.2.0.1"),
    "RATE_LIMITED",
  );
  assert.ok(await ctx.sessions.logIn(em, { email: "ada@example.org", password: "correct horse" }, "10.2.0.2"));
});

test("rejects an access token signed by another key", async (ctx) => {
  const other = await createTokenKeys(await generatePrivateJwk());
  const token = await other.signAccessToken({ sub: "u", roles: [], sid: "s" }, ctx.clock.now(), 60);
  try {
    await ctx.keys.verifyAccessToken(token, ctx.clock.now());
    assert.unreachable();
  } catch (error) {
    assert.instance(error, joseErrors.JOSEError);
  }
});

test.run();
