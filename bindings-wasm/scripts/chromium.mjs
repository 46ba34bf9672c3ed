// Headless Debian chromium through playwright-core, launched the same way by the estimator's
// browser test and by the workload bench (`npx playwright install` cannot download browsers
// here, so the system chromium is used).
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}
