// Builds the npm package into pkg/ (`lephi`) and pkg/lite/ (`lephi/lite`): cargo (wasm32,
// profile release-wasm) → wasm-bindgen CLI at exactly the crate's version (installed with
// `cargo install` when missing) → TypeScript types from the Rust contract. No wasm-pack: it
// downloads binaries, which this project does not rely on.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { typeDeclarations } from "./types.mjs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, "..");
const root = resolve(pkgDir, "..");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });

// The version pinned in Cargo.lock is the one the CLI must match.
const lock = readFileSync(join(root, "Cargo.lock"), "utf8");
const m = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
if (!m) throw new Error("wasm-bindgen is not in Cargo.lock");
const version = m[1];

const toolsRoot = process.env.LEPHI_TOOLS ?? join(homedir(), ".cache", "lephi", "tools");
const bindgen = join(toolsRoot, "bin", "wasm-bindgen");
const installed = existsSync(bindgen)
  ? execFileSync(bindgen, ["--version"], { encoding: "utf8" }).trim().split(" ")[1]
  : null;
if (installed !== version) {
  console.log(`installing wasm-bindgen-cli ${version} into ${toolsRoot} (a few minutes, once)`);
  mkdirSync(toolsRoot, { recursive: true });
  // Not --locked: the CLI's lockfile pins a crate the mirror here lacks (ecosystem.md §3.1).
  run("cargo", ["install", "wasm-bindgen-cli", "--version", version, "--root", toolsRoot]);
}

run("rustup", ["target", "add", "wasm32-unknown-unknown"], { stdio: "ignore" });
// TypeScript types for the request and the result, generated from the Rust types.
const contract = JSON.parse(execFileSync("cargo", ["run", "-q", "-p", "lephi-cli", "--", "schema", "--contract"], { cwd: root, encoding: "utf8" }));

// Two builds of the same crate: `lephi` (pkg/, with the YAML rule parser) and `lephi/lite`
// (pkg/lite/, without it: the estimator page's build, a third of the size).
const variants = [
  { out: join(pkgDir, "pkg"), features: [] },
  { out: join(pkgDir, "pkg", "lite"), features: ["--no-default-features", "--features", "bundled"] },
];
for (const { out, features } of variants) {
  run("cargo", ["build", "-p", "lephi-wasm", "--target", "wasm32-unknown-unknown", "--profile", "release-wasm", ...features]);
  const wasm = join(root, "target", "wasm32-unknown-unknown", "release-wasm", "lephi_wasm.wasm");
  run(bindgen, [wasm, "--target", "web", "--out-dir", out, "--out-name", "lephi", "--remove-name-section", "--remove-producers-section"]);
  const dtsPath = join(out, "lephi.d.ts");
  writeFileSync(dtsPath, typeDeclarations(readFileSync(dtsPath, "utf8"), contract));
}
// No wasm-opt: binaryen 132's `-Oz`/`-Os` made the gzipped file larger than the rustc
// `opt-level = "z"` output (measured: lite 215 → 229 KB), and Debian's binaryen 108 breaks the
// externref table that wasm-bindgen 0.2.130 emits.
console.log(`built ${variants.map((v) => v.out).join(" and ")}`);
