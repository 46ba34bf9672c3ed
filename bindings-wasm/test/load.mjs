// Loads the built package in Node (the `--target web` build, initialised synchronously).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const root = resolve(pkgDir, "..");
const lephi = await import(join(pkgDir, "pkg", "lephi.js"));
lephi.initSync({ module: readFileSync(join(pkgDir, "pkg", "lephi_bg.wasm")) });
export default lephi;
