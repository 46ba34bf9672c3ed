// Loads the built packages in Node (the `--target web` builds, initialised synchronously):
// `lephi` (pkg/) and `lephi/lite` (pkg/lite/, without the YAML rule parser).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const root = resolve(pkgDir, "..");

/** Each loaded build's WebAssembly memory, for tests of how much it uses. */
export const memoryOf = new Map();

async function load(dir) {
  const m = await import(join(dir, "lephi.js"));
  const exports = m.initSync({ module: readFileSync(join(dir, "lephi_bg.wasm")) });
  memoryOf.set(m, exports.memory);
  return m;
}

const lephi = await load(join(pkgDir, "pkg"));
export const lite = await load(join(pkgDir, "pkg", "lite"));
/** Both builds by the name they are imported with. */
export const builds = { lephi, "lephi/lite": lite };
export default lephi;
