// The web app in Debian's Chromium (playwright-core, no browser download) against `npm start`'s stack:
// the treasury story across browser contexts, axe on every public page, and the app's requests
// (persisted ids only). CLEARBOOK_SCREENSHOTS=1 also writes docs/screens/*.png (for the docs only).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createPartnerKeyStore } from "@clearbook/gateway";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createPartnerClient, demo } from "../../ops/examples/partner-client.js";
import { type Stack, startStack } from "./stack.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PASSWORD = "clearbook-demo";
const SCREENS = process.env.CLEARBOOK_SCREENSHOTS === "1" ? new URL("../../docs/screens/", import.meta.url) : null;
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const manifest = JSON.parse(await readFile(new URL("../persisted/manifest.json", import.meta.url), "utf8")) as {
  operations: { id: string; name: string }[];
};
const idOf = (name: string) => {
  const id = manifest.operations.find((o) => o.name === name)?.id;
  if (!id) throw new Error(`no ${name} in the manifest`);
  return id;
};
const email = (i: number) => `member${String(i).padStart(2, "0")}@clearbook.dev`;

interface Ctx {
  stack: Stack;
  browser: Browser;
  contexts: BrowserContext[];
  orgId: string;
  /** Every GraphQL request body the pages sent. */
  requests: string[];
}

const test = suite<Ctx>("the web app in Chromium against the whole stack");

test.before(async (ctx) => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  ctx.contexts = [];
  ctx.requests = [];
  // CLEARBOOK_E2E_URL: run against a stack already running (e.g. `npm start`) instead of starting one.
  const running = process.env.CLEARBOOK_E2E_URL;
  const [stack, browser] = await Promise.all([
    running ? { url: running, logPath: "", gatewayDatabase: "clearbook_gateway", stop: async () => {} } : startStack(),
    chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] }),
  ]);
  ctx.stack = stack;
  ctx.browser = browser;
  const orgs = await api<{ organizations: { id: string; name: string }[] }>(ctx, "WebOrganizations", {});
  const org = orgs.organizations.find((o) => o.name === "Clearbook Student Council");
  if (!org) throw new Error("the seed made no demo organization");
  ctx.orgId = org.id;
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.stack?.stop();
});

/** A persisted operation through the gateway over plain HTTP (the voters the story does not drive in a page). */
async function api<T>(ctx: Ctx, name: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(`${ctx.stack.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: idOf(name) } } }),
    signal: AbortSignal.timeout(20_000),
  });
  const json = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (!json.data || json.errors) throw new Error(`${name}: ${JSON.stringify(json.errors)}`);
  return json.data;
}

async function newPage(ctx: Ctx, locale = "en-US", width = 1280): Promise<Page> {
  const context = await ctx.browser.newContext({
    locale,
    viewport: { width, height: width < 500 ? 780 : 900 },
    baseURL: ctx.stack.url,
  });
  ctx.contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("request", (request) => {
    if (request.url().endsWith("/graphql") && request.method() === "POST") ctx.requests.push(request.postData() ?? "");
  });
  return page;
}

async function logIn(page: Page, who: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENS) return;
  await mkdir(SCREENS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENS).pathname, fullPage: false });
}

/** Serious or critical axe violations on the page, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (
      window as unknown as {
        axe: {
          run(
            c: Document,
            o: object,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("the treasury story: a deposit with a receipt, council approval, a spending ballot, thirty voters and a live tally", async (ctx) => {
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );
  const receiptHash = createHash("sha256").update(png).digest("hex");

  // A member submits a deposit with a receipt: the browser hashes it and shows the hash.
  const member = await newPage(ctx);
  // A wrong password is refused with a coded error, shown as a sentence in the page's language.
  await member.goto("/login");
  await member.getByLabel("Email").fill(email(11));
  await member.getByLabel("Password").fill("not-the-password");
  await member.getByRole("button", { name: "Log in" }).click();
  await member.locator('[role=alert][data-code="UNAUTHENTICATED"]').waitFor();
  await logIn(member, email(11));
  await member.goto(`/org/${ctx.orgId}/deposit`);
  await member.getByLabel("Event").fill("E2E charity bake sale");
  await member.getByLabel("Amount").fill("123.45");
  await member
    .getByLabel("Receipt (image or PDF)")
    .setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: png });
  await member.getByTestId("sha256").filter({ hasText: receiptHash }).waitFor();
  await member.getByRole("button", { name: "Submit deposit" }).click();
  const depositId = await member.locator("[data-deposit]").getAttribute("data-deposit");
  assert.ok(depositId);
  await member.locator('[data-deposit] [data-tx-status="COMMITTED"]').waitFor();
  await screenshot(member, "story-deposit-desktop");

  // The council approves it (the council's own deposits have no approve button) and proposes spending.
  const council = await newPage(ctx);
  await logIn(council, "council@clearbook.dev");
  const { logIn: councilSession } = await api<{ logIn: { accessToken: string } }>(ctx, "WebLogIn", {
    email: "council@clearbook.dev",
    password: PASSWORD,
    deviceName: "e2e",
  });
  const { submitDeposit: own } = await api<{ submitDeposit: { id: string } }>(
    ctx,
    "WebSubmitDeposit",
    {
      input: {
        orgId: ctx.orgId,
        eventName: "E2E council's own deposit",
        year: 2026,
        semester: 1,
        amount: "1000",
        evidenceIds: [],
        idempotencyKey: `e2e-own-${depositId}`,
      },
    },
    councilSession.accessToken,
  );
  await council.goto(`/org/${ctx.orgId}`);
  const ownCard = council.locator(`[data-pending-deposit="${own.id}"]`);
  await ownCard.waitFor();
  assert.is(await ownCard.getByRole("button").count(), 0, "no approve or reject button on one's own deposit");
  const card = council.locator(`[data-pending-deposit="${depositId}"]`);
  await card.getByRole("button", { name: "Approve" }).click();
  await council.locator('[data-tx-status="COMMITTED"]').first().waitFor();
  await council.getByLabel("Event").fill("E2E projector for the club room");
  await council.getByLabel("Amount").fill("50.00");
  await council.getByLabel("Payee address").fill("campus-av-shop");
  await council.getByRole("button", { name: "Propose and open a ballot" }).click();
  const spendingId = await council.locator("[data-created-spending]").getAttribute("data-created-spending");
  assert.ok(spendingId);
  await council.locator('[data-created-spending] [data-tx-status="COMMITTED"]').waitFor();
  await screenshot(council, "story-council-desktop");

  // The entry gets its ballot once the chain has opened it.
  let ballotId: string | undefined;
  const deadline = Date.now() + 30_000;
  while (!ballotId && Date.now() < deadline) {
    const entry = await api<{ ledgerEntry: { ballot: { id: string } | null } | null }>(ctx, "WebLedgerEntry", {
      id: spendingId,
    });
    ballotId = entry.ledgerEntry?.ballot?.id;
    if (!ballotId) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(ballotId, "the spending entry never got a ballot");

  // An anonymous page in Korean watches the tally; every value it shows is recorded.
  const watcher = await newPage(ctx, "ko-KR");
  await watcher.goto(`/ballot/${ballotId}`);
  await watcher.getByTestId("tally").waitFor();
  assert.is(await watcher.locator("html").getAttribute("lang"), "ko");
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await watcher.evaluate(`(() => {
    const seen = [];
    window.seen = seen;
    const record = () => {
      const tally = document.querySelector("[data-testid=tally]");
      const value = tally?.getAttribute("data-approve") + "/" + tally?.getAttribute("data-reject");
      if (seen.at(-1) !== value) seen.push(value);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, attributes: true, childList: true });
  })()`);

  // Thirty members vote: three in their own pages, the rest through the API; fifteen approve, fifteen reject.
  const choice = (i: number) => (i <= 15 ? "APPROVE" : "REJECT");
  const inPages = [1, 16, 2];
  const voteInPage = async (i: number) => {
    const page = await newPage(ctx);
    await logIn(page, email(i));
    await page.goto(`/ballot/${ballotId}`);
    await page.getByRole("button", { name: choice(i) === "APPROVE" ? "Vote to approve" : "Vote to reject" }).click();
    await page.locator('[data-tx-status="COMMITTED"]').waitFor();
  };
  const voteByApi = async (i: number) => {
    const { logIn: session } = await api<{ logIn: { accessToken: string } }>(ctx, "WebLogIn", {
      email: email(i),
      password: PASSWORD,
      deviceName: "e2e",
    });
    await api(ctx, "WebCastVote", { ballotId, choice: choice(i) }, session.accessToken);
  };
  const others = Array.from({ length: 30 }, (_, k) => k + 1).filter((i) => !inPages.includes(i));
  await Promise.all([
    (async () => {
      for (const i of inPages) await voteInPage(i);
    })(),
    (async () => {
      for (let k = 0; k < others.length; k += 9) await Promise.all(others.slice(k, k + 9).map(voteByApi));
    })(),
  ]);
  await watcher.waitForFunction(
    () =>
      document.querySelector("[data-testid=tally]")?.getAttribute("data-approve") === "15" &&
      document.querySelector("[data-testid=tally]")?.getAttribute("data-reject") === "15",
    undefined,
    { timeout: 30_000 },
  );
  await screenshot(watcher, "story-ballot-live-desktop");

  // The council's vote decides it: the ballot closes at once, APPROVED, and the page follows.
  await council.goto(`/ballot/${ballotId}`);
  await council.getByRole("button", { name: "Vote to approve" }).click();
  await watcher.waitForFunction(
    () => document.querySelector("[data-testid=tally]")?.getAttribute("data-status") === "APPROVED",
    undefined,
    { timeout: 30_000 },
  );
  const seen = await watcher.evaluate(() => (window as unknown as { seen: string[] }).seen);
  assert.ok(seen.length >= 4, `the tally moved live without a reload: ${seen.join(" → ")}`);
  assert.is(seen.at(-1), "16/15");

  await member.goto(`/entry/${spendingId}`);
  await member.locator('[data-testid=entry-status] [data-status="APPROVED"]').waitFor({ timeout: 30_000 });
  await screenshot(member, "story-entry-approved-desktop");

  // The deposit is in the public books with its receipt's hash and its transaction.
  await watcher.goto(`/org/${ctx.orgId}`);
  await watcher.locator(`[data-entry="${depositId}"] [title="${receiptHash}"]`).waitFor();
});

test("every public page passes axe without serious violations, at desktop and phone width", async (ctx) => {
  const entries = await api<{
    organization: { entries: { edges: { node: { id: string; ballot: { id: string } | null } }[] } };
  }>(ctx, "WebOrganizationBooks", { orgId: ctx.orgId, filter: { kind: "SPENDING" } });
  const spending = entries.organization.entries.edges.map((e) => e.node).find((n) => n.ballot);
  assert.ok(spending?.ballot);
  const pages: [string, string][] = [
    ["home", "/"],
    ["books", `/org/${ctx.orgId}`],
    ["entry", `/entry/${spending.id}`],
    ["ballot", `/ballot/${spending.ballot.id}`],
    ["explorer", "/explorer"],
    ["login", "/login"],
    ["signup", "/signup"],
  ];
  const problems: string[] = [];
  for (const [width, suffix] of [
    [1280, "desktop"],
    [390, "phone"],
  ] as const) {
    const page = await newPage(ctx, "ko-KR", width);
    for (const [name, path] of pages) {
      await page.goto(path);
      await page.locator("main h1").first().waitFor();
      if (name === "explorer") {
        await page.getByRole("button", { name: "체인 검증" }).click();
        await page.locator('[data-testid=verify-result][data-ok="true"]').waitFor();
      }
      for (const violation of await seriousViolations(page)) problems.push(`${name} (${suffix}): ${violation}`);
      await screenshot(page, `${name}-${suffix}`);
    }
  }
  assert.equal(problems, []);
});

test("the pages sent only persisted document ids, never a document", (ctx) => {
  assert.ok(ctx.requests.length > 20);
  for (const body of ctx.requests) {
    const parsed = JSON.parse(body) as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
    assert.is(parsed.query, undefined, body.slice(0, 120));
    assert.ok(
      manifest.operations.some((o) => o.id === parsed.extensions?.persistedQuery?.sha256Hash),
      body.slice(0, 120),
    );
  }
});

test("the example partner client (ops/examples) runs a persisted query and a subscription with an API key", async (ctx) => {
  const keys = createPartnerKeyStore({
    mysqlUrl: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306",
    database: ctx.stack.gatewayDatabase,
  });
  const { partner, apiKey } = await keys.create("e2e example client", ["ledger:read", "voting:read"]);
  const client = createPartnerClient({ url: ctx.stack.url, apiKey });
  try {
    const { ledger, confirmed } = await demo(client, ctx.orgId);
    assert.equal(ledger.organization?.name, "Clearbook Student Council");
    assert.ok(ledger.organization && BigInt(ledger.organization.treasuryBalance) > 0n);
    assert.equal(confirmed.status, "COMMITTED");
    assert.ok((confirmed.block?.number ?? -1) >= 0);
  } finally {
    await client.dispose();
    await keys.revoke(partner.id);
    await keys.dispose();
  }
});

test.run();
