// Check dhrtrack's HTML board report in headless Chromium: axe-core's WCAG 2.2 AA rules (0
// violations, or exit 1 with each one listed), and print it to A4 as a PDF and a PNG of its first
// page for a person to look at. Usage: node check.mjs REPORT.html OUT_DIR [CHROMIUM]
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const [report, outDir, chromium = process.env.CHROMIUM || "/usr/bin/chromium"] = process.argv.slice(2);
if (!report || !outDir) {
  console.error("usage: node check.mjs REPORT.html OUT_DIR [CHROMIUM]");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"],
});
let failed = false;
try {
  const page = await browser.newPage();
  // The report must need nothing from the network: refuse every request but the file itself.
  await page.setRequestInterception(true);
  page.on("request", (request) => (request.url().startsWith("file:") ? request.continue() : request.abort()));
  await page.goto("file://" + path.resolve(report), { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  for (const violation of results.violations) {
    failed = true;
    console.log(`${violation.id} (${violation.impact}): ${violation.help}`);
    for (const node of violation.nodes) console.log(`  ${node.target.join(" ")}: ${node.failureSummary.split("\n").join(" ")}`);
  }
  console.log(`axe-core ${results.testEngine.version}: ${results.violations.length} violations, ${results.passes.length} rules passed`);
  await page.emulateMediaType("print");
  await page.pdf({ path: path.join(outDir, "report.pdf"), format: "A4", printBackground: true, preferCSSPageSize: true });
  await page.setViewport({ width: 794, height: 1123 });
  await page.screenshot({ path: path.join(outDir, "report-page1.png") });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
