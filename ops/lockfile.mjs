#!/usr/bin/env node
// Keeps package-lock.json installable with `npm ci` everywhere.
//
// The registry this project installs from serves only some platforms' builds of packages that ship
// native binaries as optional dependencies (Biome, turbo). `npm install` then leaves those platforms'
// entries out of the lockfile, and `npm ci` refuses the lockfile as "out of sync". This adds the
// missing entries as optional, platform-restricted packages, which `npm ci` skips on other platforms.
//
//   node ops/lockfile.mjs          add the missing entries (run after `npm install`)
//   node ops/lockfile.mjs --check  exit 1 listing them, without writing
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const file = fileURLToPath(new URL("../package-lock.json", import.meta.url));

const OS = [
  ["windows", "win32"],
  ["win32", "win32"],
  ["darwin", "darwin"],
  ["android", "android"],
  ["freebsd", "freebsd"],
  ["linux", "linux"],
];
const CPU = [
  ["arm64", "arm64"],
  ["x64", "x64"],
  ["-64", "x64"],
  ["ia32", "ia32"],
];

/** The platform fields npm checks before installing an optional package, guessed from its name. */
export function platformOf(name) {
  const base = name.split("/").pop();
  const os = OS.find(([needle]) => base.includes(needle))?.[1];
  const cpu = CPU.find(([needle]) => base.includes(needle))?.[1];
  return {
    ...(os ? { os: [os] } : {}),
    ...(cpu ? { cpu: [cpu] } : {}),
    ...(base.includes("musl") ? { libc: ["musl"] } : {}),
  };
}

/** Lockfile entries npm ci expects but npm install left out. */
export function missingEntries(lock) {
  const missing = {};
  for (const meta of Object.values(lock.packages)) {
    for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      if (lock.packages[key] || missing[key]) continue;
      const platform = platformOf(name);
      // Only platform builds are safe to skip; anything else is a real gap that npm must resolve.
      if (platform.os && platform.cpu) missing[key] = { version, optional: true, ...platform };
    }
  }
  return missing;
}

function main() {
  const lock = JSON.parse(readFileSync(file, "utf8"));
  const missing = missingEntries(lock);
  const names = Object.keys(missing);
  if (process.argv.includes("--check")) {
    if (names.length) {
      process.stderr.write(
        `package-lock.json lacks ${names.length} platform entries (run: node ops/lockfile.mjs): ${names.join(", ")}\n`,
      );
      process.exit(1);
    }
  } else if (names.length) {
    Object.assign(lock.packages, missing);
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
    process.stdout.write(`added ${names.length} platform entries to package-lock.json\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
