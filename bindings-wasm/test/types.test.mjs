import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir } from "./load.mjs";

for (const dir of ["pkg", "pkg/lite"]) {
  test(`${dir}: the public declarations have no \`any\``, () => {
    const dts = readFileSync(join(pkgDir, dir, "lephi.d.ts"), "utf8");
    const publicPart = dts.split("export type InitInput")[0];
    assert.doesNotMatch(publicPart, /:\s*any\b|<any>|\bany\[\]/);
    // Doc comments come from the Rust docs; their intra-doc link paths are left out.
    assert.doesNotMatch(dts, /\]\((crate|Self|super)::/);
    assert.match(dts, /kind and categories \(from `CATEGORIES`\)/);
    assert.match(publicPart, /quote\(request: Request\): Quote;/);
    assert.match(publicPart, /static fromCompiled\(compiled: Uint8Array\): Engine;/);
    if (dir === "pkg") assert.match(publicPart, /compileRules\(rules: string \| string\[\]\): Uint8Array;/);
    else assert.doesNotMatch(publicPart, /export function compileRules/);
  });
}

test("TypeScript accepts correct use and rejects money as a number", () => {
  const tsc = join(pkgDir, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "esnext,dom", join(pkgDir, "test", "types-usage.ts")], { stdio: "pipe" });
});
