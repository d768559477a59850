import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const url = process.env.DBG_URL ?? readFileSync("/tmp/webdbg/url", "utf8");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ baseURL: url, locale: process.argv[3] ?? "en-US" });
const page = await ctx.newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
page.on("response", (r) => {
  if (r.status() >= 400) console.log("http", r.status(), r.url());
});
page.on("requestfinished", async (r) => {
  if (r.url().includes("/graphql")) {
    const res = await r.response();
    console.log("gql", r.postData()?.slice(0, 150), "=>", (await res?.text())?.slice(0, 300));
  }
});
page.on("websocket", (ws) => {
  ws.on("framesent", (f) => console.log("ws>", String(f.payload).slice(0, 200)));
  ws.on("framereceived", (f) => console.log("ws<", String(f.payload).slice(0, 200)));
  ws.on("close", () => console.log("ws closed"));
});
await page.goto(process.argv[2] ?? "/");
await page.waitForTimeout(Number(process.argv[4] ?? 3000));
console.log((await page.content()).slice(0, 1500));
await browser.close();
